// Labels in English and Chinese. Alert explanations come from the server as they are.
const LABELS = {
  en: {
    skip: 'Skip to content', language: 'Language', signout: 'Sign out',
    'nav.alerts': 'Live alerts', 'nav.lenders': 'Lenders', 'nav.blocklist': 'Blocklist',
    'signin.title': 'Sign in', 'signin.token': 'API token', 'signin.submit': 'Sign in',
    'signin.help': 'Use the token you were given (dunwatch demo prints where its tokens file is).',
    'signin.bad': 'This token was not accepted.',
    'role.TELECOM': 'Telecom', 'role.REGULATOR': 'Regulator', 'role.LENDER': 'Lender',
    'alerts.title': 'Live alerts', 'alerts.live': 'live', 'alerts.offline': 'reconnecting…',
    'alerts.none': 'No alerts match yet. New ones appear here as they are detected.',
    'alerts.count': '{n} incidents',
    'filter.type': 'Type', 'filter.severity': 'Severity', 'filter.jurisdiction': 'Jurisdiction',
    'filter.lender': 'Lender', 'filter.all': 'All',
    'col.severity': 'Severity', 'col.type': 'Type', 'col.subject': 'Subject', 'col.victim': 'Victim',
    'col.lender': 'Lender', 'col.jurisdiction': 'Jurisdiction', 'col.revision': 'Revision',
    'col.detected': 'Detected', 'col.explanation': 'Explanation', 'col.number': 'Number',
    'col.action': 'Action', 'col.reason': 'Reason', 'col.since': 'Since', 'col.until': 'Until',
    'col.alerts': 'Incidents', 'col.incidents': 'Incidents', 'col.rate': 'Breaches / 1,000 contacts',
    'col.rank': 'Rank', 'col.period': 'Week', 'col.window': 'Window',
    escalated: 'escalated',
    'incident.title': 'Incident', 'incident.rule': 'Rule', 'incident.version': 'version',
    'incident.legal': 'Legal basis', 'incident.parties': 'Who', 'incident.subject': 'Subject',
    'incident.victim': 'Victim', 'incident.lender': 'Lender', 'incident.agency': 'Agency',
    'incident.loan': 'Loan', 'incident.timeline': 'Timeline', 'incident.revisions': 'Revisions',
    'incident.evidence': 'Evidence', 'incident.metrics': 'Figures', 'incident.graph': 'Borrower\'s circle',
    'incident.graph.help': 'Who the collection numbers reached. Declared contacts are marked; the rest were not on file.',
    'incident.graph.none': 'The API returned no contact details for this incident.',
    'incident.timeline.none': 'The API returned no event times for the evidence; the revisions are shown.',
    'incident.revision': 'revision {n}', 'incident.event': 'event', 'incident.total': '{n} events in all',
    'legend.borrower': 'borrower', 'legend.declared': 'declared contact', 'legend.undeclared': 'not declared',
    'legend.collector': 'collector number',
    'lender.title': 'Lender {id}', 'lender.weekly': 'Incidents per type per week',
    'lender.rate': 'Breach rate per 1,000 contacts, per week', 'lender.worst': 'Worst incidents',
    'lender.agencies': 'Agencies', 'lender.none': 'No scorecard yet.',
    'lenders.title': 'Lenders', 'lenders.ranking': 'Ranking of lenders (incidents, all weeks)',
    'blocklist.title': 'Blocklist', 'blocklist.none': 'No number is listed now.',
    'error.403': 'Not allowed: this token may not see that.', 'error.401': 'Signed out: sign in again.',
    'error.404': 'Not found.', 'error.other': 'The server answered {status}.',
    loading: 'Loading…', back: 'Back to alerts',
  },
  zh: {
    skip: '跳到内容', language: '语言', signout: '退出',
    'nav.alerts': '实时告警', 'nav.lenders': '放贷机构', 'nav.blocklist': '拦截名单',
    'signin.title': '登录', 'signin.token': 'API 令牌', 'signin.submit': '登录',
    'signin.help': '请使用分配给您的令牌（dunwatch demo 会打印令牌文件的位置）。',
    'signin.bad': '该令牌未被接受。',
    'role.TELECOM': '电信运营商', 'role.REGULATOR': '监管机构', 'role.LENDER': '放贷机构',
    'alerts.title': '实时告警', 'alerts.live': '实时', 'alerts.offline': '正在重连…',
    'alerts.none': '暂无符合条件的告警。检测到新告警时会显示在这里。',
    'alerts.count': '{n} 个事件',
    'filter.type': '类型', 'filter.severity': '严重程度', 'filter.jurisdiction': '司法辖区',
    'filter.lender': '放贷机构', 'filter.all': '全部',
    'col.severity': '严重程度', 'col.type': '类型', 'col.subject': '责任方', 'col.victim': '受害人',
    'col.lender': '放贷机构', 'col.jurisdiction': '辖区', 'col.revision': '修订',
    'col.detected': '检测时间', 'col.explanation': '说明', 'col.number': '号码',
    'col.action': '措施', 'col.reason': '原因', 'col.since': '起始', 'col.until': '截至',
    'col.alerts': '事件', 'col.incidents': '事件数', 'col.rate': '每千次联系违规数',
    'col.rank': '排名', 'col.period': '周', 'col.window': '时间窗',
    escalated: '已升级',
    'incident.title': '事件', 'incident.rule': '规则', 'incident.version': '版本',
    'incident.legal': '法律依据', 'incident.parties': '相关方', 'incident.subject': '责任方',
    'incident.victim': '受害人', 'incident.lender': '放贷机构', 'incident.agency': '催收机构',
    'incident.loan': '贷款', 'incident.timeline': '时间线', 'incident.revisions': '修订记录',
    'incident.evidence': '证据', 'incident.metrics': '指标', 'incident.graph': '借款人的联系人圈',
    'incident.graph.help': '催收号码联系到的人。已申报的联系人有标记，其余未在档案中。',
    'incident.graph.none': 'API 未返回该事件的联系人详情。',
    'incident.timeline.none': 'API 未返回证据的事件时间；仅显示修订记录。',
    'incident.revision': '第 {n} 次修订', 'incident.event': '事件', 'incident.total': '共 {n} 个事件',
    'legend.borrower': '借款人', 'legend.declared': '已申报联系人', 'legend.undeclared': '未申报',
    'legend.collector': '催收号码',
    'lender.title': '放贷机构 {id}', 'lender.weekly': '每周各类型事件数',
    'lender.rate': '每周每千次联系违规率', 'lender.worst': '最严重的事件',
    'lender.agencies': '催收机构', 'lender.none': '暂无评分卡。',
    'lenders.title': '放贷机构', 'lenders.ranking': '放贷机构排名（所有周的事件数）',
    'blocklist.title': '拦截名单', 'blocklist.none': '当前没有号码被列入。',
    'error.403': '无权访问：该令牌不能查看此内容。', 'error.401': '已退出：请重新登录。',
    'error.404': '未找到。', 'error.other': '服务器返回 {status}。',
    loading: '加载中…', back: '返回告警',
  },
};

const TYPES_ZH = {
  CALL_FLOOD: '呼叫轰炸', SMS_FLOOD: '短信轰炸', CONTACT_FAN_OUT: '联系人扩散',
  CONTACT_FREQUENCY: '联系频率超限', OFF_HOURS_CONTACT: '非时段联系', THIRD_PARTY_CONTACT: '违规联系第三方',
  THIRD_PARTY_DISCLOSURE: '向第三方泄露债务', THREAT_OR_ABUSE: '威胁或辱骂', CONTACT_AFTER_CEASE: '拒绝后仍联系',
  WRONG_PARTY: '错误对象', DATA_TRADE: '数据买卖',
};
const SEVERITY_ZH = { LOW: '低', MEDIUM: '中', HIGH: '高', CRITICAL: '严重' };
const ACTION_ZH = { THROTTLE: '限流', BLOCK: '拦截', PROTECT: '保护' };

let lang = localStorage.getItem('dunwatch.lang') || ((navigator.language || 'en').startsWith('zh') ? 'zh' : 'en');

export function language() { return lang; }

export function setLanguage(l) {
  lang = LABELS[l] ? l : 'en';
  localStorage.setItem('dunwatch.lang', lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
}

export function t(key, vars = {}) {
  const s = LABELS[lang][key] ?? LABELS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? ''));
}

/** An alert type, severity or action in the current language; the code itself in English. */
export function code(value) {
  if (value == null) return '';
  if (lang !== 'zh') return String(value);
  return TYPES_ZH[value] ?? SEVERITY_ZH[value] ?? ACTION_ZH[value] ?? String(value);
}

export function when(value) {
  if (value == null || value === '') return '';
  const d = typeof value === 'number' ? new Date(value) : new Date(String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'UTC', dateStyle: 'short', timeStyle: 'medium' }) + ' UTC';
}
