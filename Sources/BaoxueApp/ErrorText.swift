import BaoxueCore
import BaoxueRecords
import BaoxueStore

/// The user-facing wording of store and core errors, in both languages.
enum ErrorText {
    static func store(_ e: StoreError, _ l: Language) -> String {
        switch e {
        case .keyFileExists(let p):
            return l.say(ErrorMessages.keyFileAlreadyExistsExisting, p)
        case .keyFileMissing(let p):
            return l.say(ErrorMessages.noKeyFileAtRun, p)
        case .keyFileTooOpen(let p, let mode):
            return l.say(ErrorMessages.keyFileIsReadableBy, mode, p)
        case .keyFileNotOwned(let p):
            return l.say(ErrorMessages.keyFileBelongsToAnother, p)
        case .keyFileMalformed(let p):
            return l.say(ErrorMessages.keyFileIsDamagedOr, p)
        case .replicaExists(let p):
            return l.say(ErrorMessages.replicaAlreadyExistsInUse, p)
        case .replicaMissing(let p):
            return l.say(ErrorMessages.noReplicaInRunBaoxue, p)
        case .invalidChange(let index, let cause):
            return l.say(ErrorMessages.changeIsInvalidNothingFrom, index + 1, core(cause, l))
        case .invalidRecord(let cause):
            return l.say(ErrorMessages.recordBreaksRuleNothingWas, record(cause, l))
        case .sequenceExhausted:
            return l.say(ErrorMessages.thisDeviceHasUsedUp)
        case .wrongPassphrase(let p):
            return l.say(ErrorMessages.passphraseDoesNotOpenAuthority, p)
        case .weakPassphrase:
            return l.say(ErrorMessages.thisPassphraseIsTooEasy)
        case .passphraseTooShort(let minimum, let actual):
            return l.say(ErrorMessages.passphraseHasCharactersItNeeds, actual, minimum)
        case .wrongUnlockPassphrase(let p):
            return l.say(ErrorMessages.passphraseDoesNotUnlockThis, p)
        case .notDurable:
            return l.say(ErrorMessages.replicaWasOpenedInNon)
        case .changeMissing(let id):
            return l.say(ErrorMessages.changeIsNotInReplica, id.short)
        case .noScopeKey(let scope):
            return l.say(ErrorMessages.recordsInAreEncryptedAnd, scope)
        case .transfer(let why):
            return l.say(ErrorMessages.transferWasNotWrittenCheck, why)
        case .locked(let p):
            return l.say(ErrorMessages.deviceIsLockedRunBaoxue, p)
        case .privacy(let cause):
            return l.say(ErrorMessages.encryptedDataCouldNotBe, cause.code)
        case .io(let p, let errno):
            return l.say(ErrorMessages.cannotReadOrWriteSystem, p, errno)
        case .overQuota(let bytes, let quota):
            return l.say(ErrorMessages.databaseReachedItsQuotaMib, bytes >> 20, quota >> 20)
        case .nothingToWrite:
            return l.say(ErrorMessages.thereWasNothingToWrite)
        case .earlierBatchFailed:
            return l.say(ErrorMessages.earlierBatchOfThisSync)
        case .database(let code, _) where code & 0xFF == 13:
            return l.say(ErrorMessages.diskIsFullNothingWas)
        case .database(let code, _) where code & 0xFF == 10:
            return l.say(ErrorMessages.writingToDiskFailedItMay)
        case .database(let code, _) where code & 0xFF == 5 || code & 0xFF == 6:
            return l.say(ErrorMessages.replicaIsInUseBy)
        case .database(let code, let message):
            return l.say(ErrorMessages.databaseErrorBackUpReplica, code, message)
        }
    }

    static func record(_ e: RecordsError, _ l: Language) -> String {
        switch e {
        case .missingField(let f): return RecordRuleText.missing(f, l)
        case .invalidField(let f, let reason): return RecordRuleText.invalid(f, reason, l)
        case .closeOutWithoutEvidence: return l.say(ErrorMessages.closeOutNeedsEvidenceAttachments)
        case .malformedPayload(let why): return l.say(ErrorMessages.recordContentUnreadable, why)
        case .payloadTooLarge: return l.say(ErrorMessages.tooManyOperationsInOne)
        case .unreadable(.formatOne, _):
            return l.say(ErrorMessages.thisRecordComesFromOld)
        case .unreadable(let fault, let what):
            return l.say(ErrorMessages.recordContentBreaksFormat, fault.rawValue, what)
        }
    }

    static func core(_ e: CoreError, _ l: Language) -> String {
        switch e {
        case .badSignature: return l.say(ErrorMessages.signatureDoesNotVerifyPossibly)
        case .idMismatch: return l.say(ErrorMessages.contentDoesNotMatchIts)
        case .truncated(let f): return l.say(ErrorMessages.dataIsTruncated, f)
        case .trailingBytes(let n): return l.say(ErrorMessages.unexpectedTrailingBytes, n)
        case .badMagic: return l.say(ErrorMessages.notBaoxueChangeRecord)
        case .unknownVersion(1):
            return l.say(ErrorMessages.thisChangeComesFromOld)
        case .unknownVersion(let v): return l.say(ErrorMessages.unknownFormatVersionUpdateSoftware, v)
        case .lengthOutOfRange(let f, let v, let r):
            return l.say(ErrorMessages.lengthOutside, f, v, r.lowerBound, r.upperBound)
        case .valueOutOfRange(let f): return l.say(ErrorMessages.isOutOfRange, f)
        case .sequenceZero: return l.say(ErrorMessages.sequenceNumberIsNotAllowed)
        case .depsNotCanonical: return l.say(ErrorMessages.dependenciesNotSortedOrDuplicated)
        case .invalidText(let f): return l.say(ErrorMessages.holdsInvalidText, f)
        case .invalidHex: return l.say(ErrorMessages.invalidHexadecimal)
        case .wrongLength(let f, let exp, let act): return l.say(ErrorMessages.mustBeBytesGot, f, exp, act)
        case .clockOverflow: return l.say(ErrorMessages.clockOverflow)
        case .keyDerivationFailed:
            return l.say(ErrorMessages.signingKeyCouldNotBe)
        }
    }
}
