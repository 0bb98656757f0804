/// A form's errors by field ("" for one about the whole record), rendered next to their field and
/// tied to it for screen readers (`aria-describedby`, `aria-invalid`).
struct FieldErrors {
    let errors: [String: String]

    /// The error under `field`, or nothing.
    func message(_ field: String) -> String {
        errors[field].map { "<p class=\"error\" id=\"\(field)-error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
    }

    /// The attributes an input with an error carries.
    func described(_ field: String) -> String {
        errors[field] == nil ? "" : " aria-describedby=\"\(field)-error\" aria-invalid=\"true\""
    }
}
