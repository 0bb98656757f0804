import CQrencode

/// A QR code (ISO/IEC 18004) of a short text, made by libqrencode (Debian's libqrencode-dev): its
/// modules, drawn as SVG for a page and as half-block characters for a terminal. What a device shows
/// so an admin can compare its fingerprint with the one on the request.
///
/// Invariant: `modules` holds `width × width` values, row by row, true for a dark module; the
/// drawings add the 4-module light margin (quiet zone) the standard requires.
public struct QRCode: Sendable, Equatable {
    public let width: Int
    public let modules: [Bool]

    /// The smallest symbol for `text` at error-correction level M (15 % of the symbol may be lost).
    public init(_ text: String) throws(AppError) {
        guard let made = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { throw .qrCodeNotMade(length: text.utf8.count) }
        defer { QRcode_free(made) }
        let code = made.pointee
        width = Int(code.width)
        // Bit 0 of each byte is the module's colour (1 dark); the other bits say what the module is for.
        modules = (0..<(width * width)).map { code.data[$0] & 1 == 1 }
    }

    public func isDark(_ x: Int, _ y: Int) -> Bool {
        (0..<width).contains(x) && (0..<width).contains(y) && modules[y * width + x]
    }

    static let margin = 4

    /// An SVG image, `size` pixels a module, dark on white, named `label` for screen readers.
    public func svg(size: Int = 6, label: String) -> String {
        let side = (width + 2 * Self.margin) * size
        var path = ""
        for y in 0..<width {
            for x in 0..<width where isDark(x, y) {
                path += "M\((x + Self.margin) * size) \((y + Self.margin) * size)h\(size)v\(size)h-\(size)z"
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" aria-label=\"\(label)\" width=\"\(side)\" "
            + "height=\"\(side)\" viewBox=\"0 0 \(side) \(side)\" shape-rendering=\"crispEdges\"><rect width=\"\(side)\" "
            + "height=\"\(side)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    /// Lines of half blocks, two module rows a line, for a terminal with light text on a dark
    /// background (light modules drawn, dark ones left blank, as `qrencode -t UTF8` does).
    public var terminal: [String] {
        let span = -Self.margin..<(width + Self.margin)
        return stride(from: -Self.margin, to: width + Self.margin, by: 2).map { y in
            String(
                span.map { x -> Character in
                    switch (isDark(x, y), isDark(x, y + 1)) {
                    case (false, false): "█"
                    case (false, true): "▀"
                    case (true, false): "▄"
                    case (true, true): " "
                    }
                })
        }
    }
}
