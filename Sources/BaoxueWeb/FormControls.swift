/// One input of a form as a person sees it: a label, the kind of input, and whether it may be left
/// empty. Rendered with the value last typed and the error next to it (`FieldErrors`).
struct Control: Sendable {
    enum Kind: Sendable {
        case text
        case date
        case number(min: Int, max: Int)
        /// One of a few values, each shown as a large tappable choice.
        case choice([(value: String, label: String)])
        /// A photo or scanned document from the phone's camera or files.
        case photo
    }

    let field: String
    let label: String
    let kind: Kind

    /// The control as HTML, holding `value` and showing `errors`' message for its field.
    func html(_ value: String, _ errors: FieldErrors) -> String {
        let (f, label) = (field, HTML.escape(self.label))
        switch kind {
        case .text, .date, .number:
            var type = "text"
            var extra = ""
            if case .date = kind { type = "date" }
            if case .number(let lo, let hi) = kind {
                type = "number"
                extra = " min=\"\(lo)\" max=\"\(hi)\" inputmode=\"numeric\""
            }
            return "<label for=\"\(f)\">\(label)</label><input type=\"\(type)\" id=\"\(f)\" name=\"\(f)\" "
                + "value=\"\(HTML.escape(value))\"\(extra)\(errors.described(f))>\(errors.message(f))"
        case .choice(let options):
            let inputs = options.map { o in
                "<label><span><input type=\"radio\" name=\"\(f)\" value=\"\(HTML.escape(o.value))\""
                    + (value == o.value ? " checked" : "") + ">\(HTML.escape(o.label))</span></label>"
            }.joined()
            let layout = options.count > 2 ? "choices stacked" : "choices"
            return "<fieldset\(errors.described(f))><legend>\(label)</legend><div class=\"\(layout)\">\(inputs)</div>"
                + "\(errors.message(f))</fieldset>"
        case .photo:
            return "<label for=\"\(f)\">\(label)</label>"
                + "<input type=\"file\" id=\"\(f)\" name=\"\(f)\" accept=\"image/*\" capture=\"environment\" multiple"
                + "\(errors.described(f))>"
                + errors.message(f)
        }
    }

    var isPhoto: Bool {
        if case .photo = kind { return true }
        return false
    }
}
