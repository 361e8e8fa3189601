package org.dunwatch.producers.sim;

/**
 * Message bodies. Collection texts follow the wording of the reports in {@code shared/seeds/} (the
 * emergency-contact SMS of report 000 almost verbatim); names, brands and lenders are made up.
 */
final class Texts {

  private Texts() {}

  static final String[] CN_BRANDS = {
    "好运购物", "速达外卖", "云端支付", "乐享视频", "畅行出行", "星河银行", "优选商城", "邻里团购", "快读小说", "悦听音乐", "易居租房", "安心保险",
    "飞鸟旅行", "掌上医院", "蓝鲸游戏", "青柠社区"
  };

  static final String[] US_BRANDS = {
    "ShopRight",
    "FastFood",
    "PayCloud",
    "StreamBox",
    "RideNow",
    "Harbor Bank",
    "MarketPlus",
    "GameHub"
  };

  private static final String[] CN_SURNAMES = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "谭"
  };
  private static final String[] CN_GIVEN = {
    "伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "燕", "正", "岩"
  };
  private static final String[] US_FIRST = {
    "James", "Mary", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "Daniel", "Lisa"
  };
  private static final String[] US_LAST = {
    "Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Lopez", "Wilson", "Moore", "Clark"
  };

  private static final String[] CN_PERSONAL = {
    "晚上一起吃饭吗？",
    "我到楼下了",
    "收到，谢谢",
    "明天几点出发？",
    "妈，我下班了",
    "好的，回头聊",
    "路上堵车，晚点到",
    "生日快乐！",
    "文件发你邮箱了",
    "周末回家吗？"
  };
  private static final String[] US_PERSONAL = {
    "On my way",
    "Dinner at 7?",
    "Thanks!",
    "Call me when you can",
    "Running late, sorry",
    "Happy birthday!",
    "See you tomorrow",
    "Got it"
  };

  static String name(Rng rng, String jurisdiction) {
    if (jurisdiction.equals("US")) {
      return rng.pick(US_FIRST) + " " + rng.pick(US_LAST);
    }
    return rng.pick(CN_SURNAMES) + rng.pick(CN_GIVEN);
  }

  static String personal(Rng rng, String jurisdiction) {
    return jurisdiction.equals("US") ? rng.pick(US_PERSONAL) : rng.pick(CN_PERSONAL);
  }

  static String otp(Rng rng, String brand, String jurisdiction) {
    String code = rng.digits(6);
    if (jurisdiction.equals("US")) {
      return brand
          + ": your verification code is "
          + code
          + ". It expires in 10 minutes. Don't share it.";
    }
    return "【" + brand + "】您的验证码是" + code + "，5分钟内有效，请勿泄露给他人。";
  }

  static String notification(Rng rng, String brand, String jurisdiction) {
    if (jurisdiction.equals("US")) {
      return brand + ": your order #" + rng.digits(7) + " has shipped.";
    }
    return "【" + brand + "】您的订单" + rng.digits(8) + "已发货，请留意查收。";
  }

  static String marketing(Rng rng, String brand, String jurisdiction) {
    if (jurisdiction.equals("US")) {
      return brand + ": 20% off this weekend only. Reply STOP to opt out.";
    }
    return "【" + brand + "】周末大促，全场满200减30，回T退订。";
  }

  static String groupGreeting(Rng rng, String jurisdiction) {
    if (jurisdiction.equals("US")) {
      return rng.chance(0.5)
          ? "Happy holidays from all of us! Hope to see you soon."
          : "We moved! New address by email. Come visit.";
    }
    return rng.chance(0.5) ? "中秋快乐，阖家幸福，万事如意！" : "各位亲友：小女周六满月酒，欢迎光临！";
  }

  static String reminder(String lender, int dpd, double amount, String jurisdiction) {
    if (jurisdiction.equals("US")) {
      return lender
          + ": your payment of $"
          + String.format("%.2f", amount)
          + " is "
          + dpd
          + " days past due. Please pay or call us to discuss options.";
    }
    return "【"
        + lender
        + "】尊敬的客户，您的借款已逾期"
        + dpd
        + "天，逾期金额"
        + String.format("%.2f", amount)
        + "元，请尽快还款，以免影响您的信用。";
  }

  /** Report 000: the message to an emergency contact that named the debt and its amount. */
  static String disclosure(
      String lender, String borrowerName, String maskedNumber, double amount, String jurisdiction) {
    if (jurisdiction.equals("US")) {
      return "This is "
          + lender
          + ". Your relative "
          + borrowerName
          + " ("
          + maskedNumber
          + ") is seriously past due on a loan, $"
          + String.format("%.2f", amount)
          + " overdue. As the emergency contact you must make them pay today.";
    }
    return "您的亲友"
        + borrowerName
        + maskedNumber
        + "在"
        + lender
        + "严重逾期"
        + String.format("%.2f", amount)
        + "元，作为紧急联系人，平台将不间断发送电话与短信提醒，请督促其马上还款！";
  }

  private static final String[] CN_THREATS = {
    "再不还钱，我们就把你的欠款信息发给你通讯录里的所有人，让你身败名裂！",
    "你这种老赖不配做人，今天下午五点前不还款，后果自负。",
    "你的资料已经整理好了，明天就挂到网上，让你全家和单位都知道你欠钱不还。",
    "别以为换号就没事，我们知道你住哪里，等着瞧。"
  };

  private static final String[] US_THREATS = {
    "Pay today or we will post your name and your contacts' numbers online for everyone to see.",
    "You deadbeat. We know where you work. Pay by 5pm or face the consequences.",
    "Last warning: we will tell your family and your employer that you are a thief.",
    "Ignore us again and you will regret it. We know where you live."
  };

  static String threat(Rng rng, String jurisdiction) {
    return jurisdiction.equals("US") ? rng.pick(US_THREATS) : rng.pick(CN_THREATS);
  }

  /** Report 004: reminders about a stranger's loan sent to a number that never borrowed. */
  static String wrongPartyReminder(
      String lender, String strangerName, int dpd, String jurisdiction) {
    if (jurisdiction.equals("US")) {
      return lender
          + ": "
          + strangerName
          + ", your loan is "
          + dpd
          + " days past due. Pay now to avoid collection.";
    }
    return "【" + lender + "】" + strangerName + "您好，您在本平台的借款已逾期" + dpd + "天，请立即还款，否则将影响征信。";
  }

  static String mask(String e164) {
    if (e164.length() < 8) {
      return e164;
    }
    return e164.substring(0, e164.length() - 8) + "****" + e164.substring(e164.length() - 4);
  }
}
