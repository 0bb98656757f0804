/// The field app's frame: tabs, today's list, search, lock, language and start-up.
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum ScreenMessages: String, Message {
    case saved, chooseEnglish, twoPassphrasesDiffer, schoolKeys, giveSKeyToIts, language, languageLabel, save, lock,
        thisDeviceLocksItselfAfter, lockNow, withPassphraseSetThisDevice, passphraseCharactersAtLeast, again, setPassphrase, me, today,
        survey, children, ledgers, sync, htmlLanguage, appName, mainMenu, recorded, noSuchPhoto, formCouldNotBeRead, tooManyOrTooLarge,
        moreNotListedSearchUnder, none, conflictsToSettle, onLeaveTooLongNot, onLeaveSince, notContactedInTime, neverContacted,
        lastContact, homeTeachingShortThisMonth, thisMonth, casesWithoutRecentAttempt, since, todayOn, twoPeopleChangedSameThing,
        findChildNameStudentNumber, statusUnknown, noName, search, firstOnlySearchToNarrow, childCount, noSuchChild, id, photoRecordsCite,
        child, thisDeviceIsLockedEnter, passphrase, unlock, cannotOpen, wrongAccessCodeOpenAddress, openAddressBaoxueUiPrinted,
        idleLockMustBeTo, listenMustBeAddressPort, servingBeyondThisDeviceNeeds, baoxueIsRunningOpenIn, pressCtrlCToStop, couldNotStart,
        sessionEnded, bodyTooLarge, formExpired, recordAbsenceLink, recordLeaveLink, returnFromLeaveLink, recordVisitLink,
        recordPersuasionLink, recordHomeTeachingLink, closeOutLink

    public var text: (zh: String, en: String) {
        switch self {
        case .saved: ("已保存。", "Saved.")
        case .chooseEnglish: ("请选择：中文、English。", "choose: 中文, English.")
        case .twoPassphrasesDiffer: ("两次输入的口令不一样。", "the two passphrases differ.")
        case .schoolKeys: ("学校密钥", "School keys")
        case .giveSKeyToIts: ("把 {1} 的密钥授予成员", "Give {1}'s key to its members")
        case .language: ("语言 / Language", "Language / 语言")
        case .languageLabel: ("界面语言", "Language")
        case .save: ("保存", "Save")
        case .lock: ("锁屏", "Lock")
        case .thisDeviceLocksItselfAfter: ("闲置 {1} 分钟后本机自动锁定。", "This device locks itself after {1} idle minutes.")
        case .lockNow: ("立即锁定", "Lock now")
        case .withPassphraseSetThisDevice:
            (
                "设置口令后，本机闲置 {1} 分钟即自动锁定，解锁须输入口令。",
                "With a passphrase set, this device locks itself after {1} idle minutes."
            )
        case .passphraseCharactersAtLeast: ("锁屏口令（至少 8 个字符，不要用生日或电话）", "Passphrase (8 characters at least)")
        case .again: ("再输入一次", "Again")
        case .setPassphrase: ("设置口令", "Set passphrase")
        case .me: ("我的", "Me")
        case .today: ("今日", "Today")
        case .survey: ("摸排", "Survey")
        case .children: ("儿童", "Children")
        case .ledgers: ("台账", "Ledgers")
        case .sync: ("同步", "Sync")
        case .htmlLanguage: ("zh-Hans", "en")
        case .appName: ("保学", "Baoxue")
        case .mainMenu: ("主菜单", "main menu")
        case .recorded: ("已记录。", "Recorded.")
        case .noSuchPhoto: ("没有这张照片。", "no such photo.")
        case .formCouldNotBeRead: ("提交的内容无法读取，请重新填写。", "the form could not be read: fill it in again.")
        case .tooManyOrTooLarge: ("照片太大或太多：最多 3 张，每张最多 8 MB。", "too many or too large photos: 3 at most, 8 MB each.")
        case .moreNotListedSearchUnder: ("另有 {1} 名未列出，请在“儿童”中查找。", "{1} more not listed: search under Children.")
        case .none: ("无", "none")
        case .conflictsToSettle: ("待核实的冲突", "conflicts to settle")
        case .onLeaveTooLongNot: ("请假超过规定天数、尚未家访", "on leave too long, not yet visited")
        case .onLeaveSince: ("请假自 {1}", "on leave since {1}")
        case .notContactedInTime: ("超过规定间隔未联系", "not contacted in time")
        case .neverContacted: ("从未联系", "never contacted")
        case .lastContact: ("上次联系 {1}", "last contact {1}")
        case .homeTeachingShortThisMonth: ("本月送教不足", "home teaching short this month")
        case .thisMonth: ("本月 {1} 次", "{1} this month")
        case .casesWithoutRecentAttempt: ("劝返案卷久无劝返记录", "cases without a recent attempt")
        case .since: ("自 {1}", "since {1}")
        case .todayOn: ("今日工作 {1}", "Today, {1}")
        case .twoPeopleChangedSameThing: ("两人同时改了同一项，请选出正确的", "two people changed the same thing: choose")
        case .findChildNameStudentNumber: ("查找儿童（姓名、学籍号、身份证后几位、电话、村）", "find a child (name, student number, ID digits, phone, village)")
        case .statusUnknown: ("状态未知", "status unknown")
        case .noName: ("（无姓名）", "(no name)")
        case .search: ("查找", "Search")
        case .firstOnlySearchToNarrow: ("只显示前 {1} 名，请用姓名、学籍号等查找。", "The first {1} only: search to narrow.")
        case .childCount: ("共 {1} 名", "{1} children")
        case .noSuchChild: ("找不到这个儿童。", "no such child.")
        case .id: ("　编号 ", "  id ")
        case .photoRecordsCite: ("记录所附照片", "a photo the records cite")
        case .child: ("儿童", "Child")
        case .thisDeviceIsLockedEnter: ("本机已锁定。请输入解锁口令。", "This device is locked. Enter its passphrase.")
        case .passphrase: ("解锁口令", "Passphrase")
        case .unlock: ("解锁", "Unlock")
        case .cannotOpen: ("无法打开", "Cannot open")
        case .wrongAccessCodeOpenAddress: ("访问码不对。请用启动 baoxue ui 时显示的地址打开。", "wrong access code: open the address baoxue ui printed.")
        case .openAddressBaoxueUiPrinted: ("请用启动 baoxue ui 时显示的地址（带访问码）打开。", "open the address baoxue ui printed (with its access code).")
        case .idleLockMustBeTo: ("--idle-lock 应在 1 到 1440 分钟之间", "--idle-lock must be 1 to 1440 minutes")
        case .listenMustBeAddressPort: ("--listen 应为 地址:端口，如 127.0.0.1:8080", "--listen must be address:port, e.g. 127.0.0.1:8080")
        case .servingBeyondThisDeviceNeeds:
            (
                "在本机以外提供时必须用 --token 给出至少 16 个字符的访问码",
                "serving beyond this device needs --token of 16 characters at least"
            )
        case .baoxueIsRunningOpenIn: ("保学已启动，请用浏览器打开：", "Baoxue is running; open in a browser:")
        case .pressCtrlCToStop: ("按 Ctrl-C 停止。", "Press Ctrl-C to stop.")
        case .couldNotStart: ("无法启动：{1}\n", "could not start: {1}\n")
        case .sessionEnded: ("会话已失效，请重新打开。", "the session has ended: open the app again.")
        case .bodyTooLarge: ("提交的内容太大。", "what was sent is too large.")
        case .formExpired: ("表单已过期，请返回重新打开页面。", "the form has expired: go back and open the page again.")
        case .recordAbsenceLink: ("记录缺课", "Record an absence")
        case .recordLeaveLink: ("记录请假", "Record a leave")
        case .returnFromLeaveLink: ("销假", "Return from leave")
        case .recordVisitLink: ("记录家访", "Record a visit")
        case .recordPersuasionLink: ("记录劝返", "Record a persuasion attempt")
        case .recordHomeTeachingLink: ("记录送教上门", "Record home teaching")
        case .closeOutLink: ("销号", "Close out")
        }
    }
}
