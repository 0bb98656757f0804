import Foundation

/// The run's staleness and convergence over simulated days as an SVG line
/// chart a person opens in a browser: staleness p50 and p99 (hours, left
/// axis) and the share of schools whose devices agree (right axis, 0–100 %).
public enum Chart {
    public static func svg(_ days: [Simulator.Day], schools: Int, title: String) -> String {
        let width = 720.0
        let height = 360.0
        let left = 60.0
        let right = 60.0
        let top = 40.0
        let bottom = 40.0
        let plotW = width - left - right
        let plotH = height - top - bottom
        let maxStale = max(1, (days.map(\.staleP99).max() ?? 1).rounded(.up))
        let n = max(1, days.count - 1)
        func x(_ i: Int) -> Double { left + plotW * Double(i) / Double(n) }
        func yStale(_ h: Double) -> Double { top + plotH * (1 - h / maxStale) }
        func yShare(_ agreeing: Int) -> Double { top + plotH * (1 - Double(agreeing) / Double(max(1, schools))) }
        func line(_ points: [(Double, Double)], _ colour: String, dashed: Bool = false) -> String {
            let path = points.map { String(format: "%.1f,%.1f", $0.0, $0.1) }.joined(separator: " ")
            return
                "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"6 4\"" : "") "
                    + "points=\"\(path)\"/>"
        }
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" "
                + "font-size=\"12\">"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        out += "<text x=\"\(left)\" y=\"20\" font-size=\"14\">\(escape(title))</text>"
        out += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#333\"/>"
        out += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotH)\" stroke=\"#333\"/>"
        out += "<line x1=\"\(left + plotW)\" y1=\"\(top)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#333\"/>"
        out +=
            "<text x=\"\(left - 8)\" y=\"\(top)\" text-anchor=\"end\">\(Int(maxStale)) h</text><text x=\"\(left - 8)\" "
                + "y=\"\(top + plotH)\" text-anchor=\"end\">0</text>"
        out += "<text x=\"\(left + plotW + 8)\" y=\"\(top)\">100 %</text><text x=\"\(left + plotW + 8)\" y=\"\(top + plotH)\">0 %</text>"
        for (i, d) in days.enumerated() where days.count <= 31 || i % 5 == 0 {
            out += "<text x=\"\(x(i))\" y=\"\(top + plotH + 16)\" text-anchor=\"middle\">\(d.day)</text>"
        }
        out += line(days.enumerated().map { (x($0), yStale($1.staleP50)) }, "#1f77b4")
        out += line(days.enumerated().map { (x($0), yStale($1.staleP99)) }, "#d62728")
        out += line(days.enumerated().map { (x($0), yShare($1.agreeing)) }, "#2ca02c", dashed: true)
        out += "<text x=\"\(left + 10)\" y=\"\(height - 6)\" fill=\"#1f77b4\">staleness p50 (h)</text>"
        out += "<text x=\"\(left + 150)\" y=\"\(height - 6)\" fill=\"#d62728\">staleness p99 (h)</text>"
        out += "<text x=\"\(left + 290)\" y=\"\(height - 6)\" fill=\"#2ca02c\">schools converged (%) · x: day</text>"
        return out + "</svg>\n"
    }

    static func escape(_ t: String) -> String {
        t.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }
}
