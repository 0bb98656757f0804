import Foundation

extension String {
    /// This text in Unicode NFC, the form names, reasons and scopes are signed in.
    ///
    /// Text of ASCII and CJK Unified Ideographs only (nearly every name here) is returned as it
    /// is: those characters never change under NFC and never combine, and Foundation's
    /// normalization costs more than checking a certificate's signature.
    public var canonicalNFC: String {
        if unicodeScalars.allSatisfy({ $0.value < 0x80 || (0x4E00...0x9FFF).contains($0.value) }) { return self }
        return precomposedStringWithCanonicalMapping
    }
}
