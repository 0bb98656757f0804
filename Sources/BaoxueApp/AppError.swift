import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueSync
import BaoxueTrust

/// What a command can fail with, each case naming the cause; rendered as
/// one line that says what to do.
public enum AppError: Error, Equatable, Sendable {
    case store(StoreError)
    case core(CoreError)
    /// A command-line value that is not acceptable (option name, given value).
    case invalidArgument(option: String, value: String)
    /// A value outside a fixed list; the message lists every choice in the user's language.
    case invalidChoice(option: String, value: String, chinese: [String], english: [String])
    /// A number outside what the option allows.
    case valueOutOfRange(option: String, value: Int, allowed: ClosedRange<Int>)
    /// A merge of a provisional child that the rules refuse; the text says why, in the user's language.
    case mergeRefused(String)
    /// A line of the peers file that does not parse.
    case peerListMalformed(path: String, line: Int)
    /// A sync session ended early.
    case sync(SyncError)
    /// A certificate, request or chain is not acceptable.
    case trust(TrustError)
    /// Nothing to sync: no scope given and none held locally or granted in the peers file.
    case noScopes
    /// `relay serve` on a replica whose certificate is not a relay's (its receipts would count for nothing).
    case notARelay
    /// `relay serve --store`: the PostgreSQL database cannot be used (address, reachability, rights), and why.
    case sharedDatabase(String)
    /// A file that would be overwritten (a backup target).
    case fileExists(path: String)
    /// An input file that does not exist or cannot be read.
    case fileMissing(path: String)
    /// The folder an output file goes into does not exist (or is not a folder).
    case folderMissing(path: String)
    /// An import stopped after `written` of `total` children were committed (they stay; running it again resumes).
    case importInterrupted(written: Int, total: Int, cause: StoreError)
    /// libqrencode could not encode a text (too long).
    case qrCodeNotMade(length: Int)
    /// Figures of a month published before its last day.
    case monthNotOver(period: String, lastDay: String)
    /// The console was asked to revoke the device it runs on.
    case revokingThisDevice
    /// libxlsxwriter could not write a report's workbook (its reason, in English).
    case workbookNotWritten(reason: String)
    /// `report verify --recompute` on a replica without record views (a relay).
    case recomputeNeedsRecords
    /// A report folder's manifest that cannot be read (or made).
    case reportManifest(path: String, ReportManifestError)
    /// A certificate issued to another device (its fingerprint, and this device's).
    case certificateForAnotherDevice(theirs: String, ours: String)
    /// A roster that is neither UTF-8 nor GBK/GB18030.
    case rosterEncoding(path: String)
    /// A roster that is not CSV (an unclosed quote, an empty file).
    case rosterMalformed(path: String, line: Int, reason: String)
    /// A roster without the columns its registry must have (their names, in the user's language).
    case rosterColumns(path: String, missing: [String])
    /// No child with that record id on this replica.
    case childUnknown(String)
    /// Several children answer to what was typed: the ones to choose from (and how many more).
    case childAmbiguous(String, choices: [ChildChoice], more: Int)
    /// No op with that id on this replica.
    case opUnknown(String)
    /// No survey sweep with that id on this replica.
    case surveyUnknown(String)
    /// This device's role may not record that (nil role: not enrolled); it would be quarantined everywhere.
    case roleForbids(role: String?, what: String)
    /// The device holds several scopes (or none): the command must be told which.
    case scopeRequired(held: [String])
    /// A scope the device's certificate does not cover: what it wrote there would be quarantined everywhere.
    case scopeNotCovered(scope: String, held: [String])
    /// Approving an enrollment needs a delegation (a certificate that may issue) this device does not hold.
    case noDelegation
    /// Approving an enrollment hands the device the district's registry key, which this device does not hold.
    case noRegistryKey
    /// This device's enrollment request still waits at the relay's desk.
    case enrollmentWaiting(fingerprint: String)
    /// An admin rejected this device's enrollment request.
    case enrollmentRejected(reason: String)

    /// The process exit code: 2 for bad usage, 3 for key-file problems, 1 otherwise.
    public var exitCode: Int32 {
        switch self {
        case .invalidArgument, .invalidChoice, .valueOutOfRange: 2
        case .store(.keyFileTooOpen), .store(.keyFileNotOwned), .store(.keyFileMalformed): 3
        default: 1
        }
    }

    /// One line for the user, with the cause and what to do.
    public func line(_ lang: Language) -> String {
        let prefix = lang.say(ErrorMessages.error)
        switch self {
        case .store(let e): return prefix + ErrorText.store(e, lang)
        case .core(let e): return prefix + ErrorText.core(e, lang)
        case .invalidArgument(let option, let value):
            return prefix
                + lang.say(ErrorMessages.invalidValueForRunBaoxue, option, value)
        case .invalidChoice(let option, let value, let chinese, let english):
            return prefix
                + lang.say(ErrorMessages.invalidChoice, option, value, lang.list(lang == .zh ? chinese : english))
        case .valueOutOfRange(let option, let value, let allowed):
            return prefix
                + lang.say(ErrorMessages.isOutOfRangeFor, option, value, allowed.lowerBound, allowed.upperBound)
        case .mergeRefused(let why):
            return prefix + why + lang.say(ErrorMessages.seeBaoxueChildListFor)
        case .peerListMalformed(let path, let line):
            return prefix
                + lang.say(ErrorMessages.lineOfPeerListIs, path, line)
        case .sync(let e):
            return prefix + SyncText.error(e, lang)
        case .trust(let e):
            return prefix + TrustText.error(e, lang)
        case .notARelay:
            return prefix
                + lang.say(ErrorMessages.thisReplicasCertificateIsNot)
        case .sharedDatabase(let why):
            return prefix + lang.say(ErrorMessages.sharedDatabaseUnusable, why)
        case .fileExists(let path):
            return prefix
                + lang.say(ErrorMessages.fileAlreadyExistsItIs, path)
        case .certificateForAnotherDevice(let theirs, let ours):
            return prefix
                + lang.say(ErrorMessages.thisCertificateWasIssuedTo, theirs, ours)
        case .importInterrupted(let written, let total, let cause):
            let why: String
            switch cause {
            case .database(let code, _) where code & 0xFF == 13: why = lang.say(ErrorMessages.diskIsFull)
            case .database(let code, _) where code & 0xFF == 10:
                why = lang.say(ErrorMessages.writingToDiskFailedIt)
            case .overQuota: why = lang.say(ErrorMessages.databaseReachedItsQuota)
            case .io: why = lang.say(ErrorMessages.fileCouldNotBeWritten)
            default: why = ErrorText.store(cause, lang)
            }
            return prefix
                + lang.say(ErrorMessages.importStoppedAfterOfChildren, why, written, total)
        case .folderMissing(let path):
            return prefix
                + lang.say(ErrorMessages.folderDoesNotExistCreate, path)
        case .fileMissing(let path):
            return prefix + lang.say(ErrorMessages.cannotFindOrReadFile, path)
        case .qrCodeNotMade(let length):
            return prefix + lang.say(ErrorMessages.qrCodeNotMade, length)
        case .monthNotOver(let period, let lastDay):
            return prefix + lang.say(ErrorMessages.monthNotOver, period, lastDay)
        case .revokingThisDevice:
            return prefix + lang.say(ErrorMessages.revokingThisDevice)
        case .workbookNotWritten(let reason):
            return prefix + lang.say(ErrorMessages.workbookNotWritten, reason)
        case .recomputeNeedsRecords:
            return prefix + lang.say(ErrorMessages.recomputeNeedsRecords)
        case .reportManifest(let path, .malformed(let line, _)) where line > 0:
            return prefix + lang.say(ErrorMessages.reportManifestLineUnreadable, path, line)
        case .reportManifest(let path, _):
            return prefix + lang.say(ErrorMessages.reportManifestUnreadable, path)
        case .rosterEncoding(let path):
            return prefix
                + lang.say(ErrorMessages.isNeitherUtfNorGbk, path)
        case .rosterMalformed(let path, let line, let reason):
            return prefix
                + lang.say(ErrorMessages.lineOfIsNotValid, path, line, reason)
        case .rosterColumns(let path, let missing):
            return prefix
                + lang.say(ErrorMessages.lacksRequiredColumnsCheckSource, path, lang.list(missing))
        case .childUnknown(let id):
            return prefix
                + lang.say(ErrorMessages.noChildMatchesHereGive, id)
        case .childAmbiguous(let text, let choices, let more):
            let list = choices.map { c in
                "\n  \(c.id.prefix(8))  \(c.name)  \(c.school)"
                    + (c.grade.map {
                        lang.say(ErrorMessages.grade, $0)
                    } ?? "") + " \(c.className)"
            }.joined()
            let rest = more > 0 ? lang.say(ErrorMessages.andMore, more) : ""
            return prefix
                + lang.say(ErrorMessages.severalChildrenMatchUseFirst, text)
                + list + rest
        case .opUnknown(let id):
            return prefix
                + lang.say(ErrorMessages.noEntryWithIdHere, id)
        case .surveyUnknown(let id):
            return prefix
                + lang.say(ErrorMessages.noSurveyWithIdHere, id)
        case .roleForbids(let role, let what):
            return prefix
                + (role.map { r in
                    lang.say(ErrorMessages.sCertificateMayNotRecord, r, what)
                }
                    ?? lang.say(ErrorMessages.thisDeviceHoldsNoCertificate))
        case .scopeRequired(let held):
            return prefix
                + (held.isEmpty
                    ? lang.say(ErrorMessages.nameScopeSchoolWithScope)
                    : lang.say(ErrorMessages.thisDevicesCertificateHasSeveral, lang.list(held)))
        case .scopeNotCovered(let scope, let held):
            return prefix
                + lang.say(ErrorMessages.thisDevicesCertificateDoesNot, scope, lang.list(held))
        case .noScopes:
            return prefix
                + lang.say(ErrorMessages.nothingToSyncNoLocal)
        case .noDelegation:
            return prefix + lang.say(EnrollmentMessages.noDelegation)
        case .noRegistryKey:
            return prefix + lang.say(EnrollmentMessages.noRegistryKey)
        case .enrollmentWaiting(let fingerprint):
            return prefix + lang.say(EnrollmentMessages.waitingBeforeSync, fingerprint)
        case .enrollmentRejected(let reason):
            return prefix + lang.say(EnrollmentMessages.rejectedBeforeSync, reason)
        }
    }
}

/// Runs a store or core call and maps its typed error to `AppError`.
func attempt<T>(_ body: () throws(StoreError) -> T) throws(AppError) -> T {
    do { return try body() } catch { throw .store(error) }
}

/// One child offered when what was typed names several: enough to tell them apart.
public struct ChildChoice: Sendable, Equatable {
    public let id: String
    public let name: String
    public let school: String
    public let className: String
    public let grade: Int?
}
