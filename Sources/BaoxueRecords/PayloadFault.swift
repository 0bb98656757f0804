/// Why a record payload could not be read (`Protocol/records.md` §1.9). The raw value is the
/// code the spec and its vectors use; every replica refuses the same bytes with the same code.
public enum PayloadFault: String, Error, Sendable, Equatable, CaseIterable {
    /// Fewer bytes than a field needs.
    case truncated
    /// Bytes after the last op.
    case trailingBytes = "trailing_bytes"
    /// Not `00 52` at the start: not a record payload.
    case badMagic = "bad_magic"
    /// A format-1 (JSON) payload: refused since Protocol v2.
    case formatOne = "format_1_refused"
    /// `00 52` followed by a version other than 2.
    case unknownVersion = "unknown_version"
    /// A varint with a redundant leading group (`0x80` first), or longer than 10 bytes.
    case nonCanonicalInteger = "non_canonical_integer"
    /// A number above its limit (a field number ≥ 2^31).
    case valueOutOfRange = "value_out_of_range"
    /// A count or length outside its bounds (ops, lists, text bytes).
    case lengthOutOfRange = "length_out_of_range"
    /// An op code, body code, record kind, field, set, value type or enum code the spec does not list.
    case unknownCode = "unknown_code"
    /// A field's value of another type than the field has.
    case wrongType = "wrong_type"
    /// A presence or boolean byte other than 0 or 1.
    case badFlag = "bad_flag"
    /// Text that is not valid UTF-8.
    case invalidUTF8 = "invalid_utf8"
    /// Text holding a control character other than line feed.
    case controlCharacter = "control_character"
    /// Text not in Unicode Normalization Form C.
    case notNFC = "not_nfc"
    /// A date that does not exist or lies outside 1900–2199.
    case invalidDate = "invalid_date"
    /// A list that must be strictly ascending is not (out of order, or an item twice).
    case notAscending = "not_ascending"
    /// A field the event kind requires is absent, or present where it must be absent.
    case missingField = "missing_field"
}
