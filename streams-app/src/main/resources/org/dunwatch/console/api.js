// The console's only way to the server: the query API with the signed-in token. The server decides
// what a role may see; the console never asks for more than the view needs.
const KEY = 'dunwatch.token';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
  }
}

export function token() { return sessionStorage.getItem(KEY); }
export function setToken(value) { if (value) sessionStorage.setItem(KEY, value); else sessionStorage.removeItem(KEY); }

export async function get(path) {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token()}`, Accept: 'application/json' } });
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/**
 * Server-sent events over fetch, not EventSource: EventSource cannot send the Authorization
 * header, and a token in the URL would end up in access logs. Reconnects after a drop.
 */
export function stream(path, onEvent, onState) {
  const controller = new AbortController();
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      try {
        const res = await fetch(path, {
          headers: { Authorization: `Bearer ${token()}`, Accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!res.ok) { onState('error', res.status); if (res.status === 401 || res.status === 403) return; throw new Error(); }
        onState('live');
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let event = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length) {
              try { onEvent(event, JSON.parse(data.join('\n'))); } catch (e) { /* a comment or keep-alive */ }
            }
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      onState('offline');
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  run();
  return () => { stopped = true; controller.abort(); };
}
