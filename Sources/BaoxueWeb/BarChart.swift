/// A grouped bar chart drawn on the server as SVG (no script, no chart library): one group of bars
/// per category (a month), one bar per series, with a legend and the values written above the bars.
/// Screen readers get the whole chart as its label and a table of the same numbers beside it.
///
/// Invariant: every series has one value per category; values are not negative.
struct BarChart {
    struct Series {
        let name: String
        let color: String
        let values: [Int]
    }

    let title: String
    let categories: [String]
    let series: [Series]

    static let palette = ["#14532d", "#9b1c1c", "#1e40af", "#92400e"]

    /// Bars only, with the months under them (16 px, as all text of the app); the legend and the
    /// numbers are HTML beside it (`legend`, `table`).
    var svg: String {
        let width = 340
        let height = 180
        let top = 8
        let bottom = 26
        let left = 4
        let plot = height - top - bottom
        let largest = max(1, series.flatMap(\.values).max() ?? 1)
        let group = Double(width - left) / Double(max(1, categories.count))
        let bar = min(24.0, (group - 8) / Double(max(1, series.count)))
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(HTML.escape(label))\" "
            + "viewBox=\"0 0 \(width) \(height)\" width=\"100%\"><rect width=\"\(width)\" height=\"\(height)\" fill=\"#fff\"/>"
        out += "<line x1=\"\(left)\" y1=\"\(top + plot)\" x2=\"\(width)\" y2=\"\(top + plot)\" stroke=\"#767676\"/>"
        for (c, category) in categories.enumerated() {
            let x0 = Double(left) + group * Double(c) + (group - bar * Double(series.count)) / 2
            for (s, line) in series.enumerated() {
                let h = Double(plot) * Double(line.values[c]) / Double(largest)
                out +=
                    String(
                        format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" ", x0 + bar * Double(s),
                        Double(top + plot) - h, bar - 1, h) + "fill=\"\(line.color)\"/>"
            }
            out +=
                String(format: "<text x=\"%.1f\" y=\"%d\" ", Double(left) + group * (Double(c) + 0.5), height - 6)
                + "font-size=\"16\" text-anchor=\"middle\" fill=\"#1a1a1a\">\(HTML.escape(Self.short(category)))</text>"
        }
        return out + "</svg>"
    }

    /// A month (`2026-11`) by its number under its bars; another category as it is.
    static func short(_ category: String) -> String {
        category.count == 7 && category.dropFirst(4).first == "-" ? String(category.suffix(2)) : category
    }

    /// Which colour is which series.
    var legend: String {
        // Swatches as SVG presentation attributes: the page's policy allows no inline style.
        "<p class=\"legend\">"
            + series.map {
                "<span><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"\($0.color)\"/></svg> "
                    + "\(HTML.escape($0.name))</span>"
            }.joined() + "</p>"
    }

    /// The chart in words: its title, then each series' values by category.
    var label: String {
        title + "："
            + series.map { s in s.name + " " + zip(categories, s.values).map { "\($0) \($1)" }.joined(separator: "，") }
            .joined(separator: "；")
    }

    /// The same numbers as a table, for whoever cannot see the bars.
    var table: String {
        "<table class=\"figures\"><caption>\(HTML.escape(title))</caption><thead><tr><th scope=\"col\"></th>"
            + series.map { "<th scope=\"col\">\(HTML.escape($0.name))</th>" }.joined() + "</tr></thead><tbody>"
            + categories.enumerated().map { c, category in
                "<tr><th scope=\"row\">\(HTML.escape(category))</th>" + series.map { "<td>\($0.values[c])</td>" }.joined() + "</tr>"
            }.joined() + "</tbody></table>"
    }
}
