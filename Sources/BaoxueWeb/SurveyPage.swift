import BaoxueApp
import BaoxueRecords
import Foundation
import Hummingbird

/// 摸排: a village liaison's door-to-door sweep. Start a sweep of a village, then record each
/// household as it is checked (address, children found, what was found); a child found without
/// papers is recorded on the spot, provisionally (records.md §3.3), to be merged into the registry
/// record once an ID number is known. Each form is checked on the server and writes once.
struct SurveyPage {
    let context: WebServer.Context
    var l: Language { context.language }

    static func findings(_ l: Language) -> [(String, String)] {
        HouseholdCheck.Finding.allCases.map { ($0.rawValue, l.phrase($0)) }
    }

    func register(on router: Router<BasicRequestContext>) {
        let screens = Screens(context: context)
        router.get("/survey") { request, _ in
            if let page = try await screens.locked() { return page }
            return try await list([:], [:], csrf: await screens.csrfField(request))
        }
        router.post("/survey") { request, ctx in
            try await screens.withForm(request) { form in
                var v = FormValues(fields: form.fields, language: l)
                let village = v.text("village", RegistryMessages.whatVillage)
                let date = v.date("date", RegistryMessages.whatSurveyDate)
                let team = v["team"].split(whereSeparator: { ",，、".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
                let csrf = await screens.csrfField(request)
                guard v.errors.isEmpty, let date else {
                    return try await list(form.fields, v.errors, csrf: csrf, status: .unprocessableContent)
                }
                guard let nonce = form["nonce"], await context.sessions.claim(nonce) else { return WebServer.redirect("/survey") }
                do throws(AppError) {
                    let id = try await context.device.startSurvey(village: village, team: team, date: date, language: l)
                    return WebServer.redirect("/survey/\(id)")
                } catch {
                    await context.sessions.release(nonce)
                    return try await list(form.fields, ["": error.line(l)], csrf: csrf, status: .unprocessableContent)
                }
            }
        }
        router.get("/survey/:id") { request, ctx in
            if let page = try await screens.locked() { return page }
            let notice = request.uri.queryParameters["done"] != nil ? l.say(RegistryMessages.recorded) : nil
            return try await sweep(ctx.parameters.get("id") ?? "", [:], [:], notice: notice, csrf: await screens.csrfField(request))
        }
        router.post("/survey/:id/household") { request, ctx in
            try await screens.withForm(request) { form in
                let id = ctx.parameters.get("id") ?? ""
                var v = FormValues(fields: form.fields, language: l)
                let address = v.text("address", RegistryMessages.whatAddress)
                let found = v.number("found", RegistryMessages.whatChildrenFound, in: 0...20)
                let finding = v.choice("finding", Self.findings(v.language)).flatMap(HouseholdCheck.Finding.init(rawValue:))
                let csrf = await screens.csrfField(request)
                guard v.errors.isEmpty, let found, let finding else {
                    return try await sweep(id, form.fields, v.errors, notice: nil, csrf: csrf, status: .unprocessableContent)
                }
                return try await write(id, form, csrf: csrf) { () async throws(AppError) in
                    _ = try await context.device.checkHousehold(
                        survey: id, check: HouseholdCheck(address: address, childrenFound: found, finding: finding), date: nil, language: l)
                }
            }
        }
        router.post("/survey/:id/child") { request, ctx in
            try await screens.withForm(request) { form in
                let id = ctx.parameters.get("id") ?? ""
                var v = FormValues(fields: form.fields, language: l)
                let name = v.text("name", RegistryMessages.whatChildName)
                let place = v.text("where", RegistryMessages.whatWhereFound)
                let csrf = await screens.csrfField(request)
                guard v.errors.isEmpty else {
                    return try await sweep(id, form.fields, v.errors, notice: nil, csrf: csrf, status: .unprocessableContent)
                }
                let village = (try? await context.device.survey(id))?.coverage.village ?? ""
                var fields: [(String, FieldValue)] = village.isEmpty ? [] : [("village", .text(village))]
                if !v["guardian"].isEmpty { fields.append(("guardianName", .text(v["guardian"]))) }
                return try await write(id, form, csrf: csrf) { () async throws(AppError) in
                    _ = try await context.device.addProvisional(
                        name: name, found: l.say(RegistryMessages.foundInSurvey, village, place), fields: fields,
                        language: l)
                }
            }
        }
    }

    /// Writes once per nonce; an error is shown above the sweep's forms and writes nothing.
    func write(_ id: String, _ form: SubmittedForm, csrf: String, _ body: () async throws(AppError) -> Void) async throws -> Response {
        guard let nonce = form["nonce"], await context.sessions.claim(nonce) else { return WebServer.redirect("/survey/\(id)?done=1") }
        do throws(AppError) { try await body() } catch {
            await context.sessions.release(nonce)
            return try await sweep(id, form.fields, ["": error.line(l)], notice: nil, csrf: csrf, status: .unprocessableContent)
        }
        return WebServer.redirect("/survey/\(id)?done=1")
    }

    var nonce: String { "<input type=\"hidden\" name=\"nonce\" value=\"\(WebSessions.randomToken())\">" }

    func list(
        _ values: [String: String], _ errors: [String: String], csrf: String, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let sweeps = try await context.device.surveys()
        let shown = FieldErrors(errors: errors)
        var body = sweeps.isEmpty ? "" : "<h2>\(HTML.escape(l.say(RegistryMessages.sweeps)))</h2><ul class=\"cards\">"
        for s in sweeps {
            let c = s.coverage
            body +=
                "<li><a href=\"/survey/\(s.survey)\">\(HTML.escape(c.village ?? ""))<span class=\"why\">"
                + HTML.escape(
                    l.say(RegistryMessages.householdsChildren, c.date ?? "", c.households, c.childrenFound)) + "</span></a></li>"
        }
        if !sweeps.isEmpty { body += "</ul>" }
        body += "<h2>\(HTML.escape(l.say(RegistryMessages.startSweep)))</h2>" + shown.message("")
        body +=
            "<form method=\"post\" action=\"/survey\">"
            + Control(field: "village", label: l.say(RegistryMessages.village), kind: .text).html(values["village"] ?? "", shown)
            + Control(field: "date", label: l.say(RegistryMessages.date), kind: .date).html(
                values["date"] ?? WebServer.today().description, shown)
            + Control(field: "team", label: l.say(RegistryMessages.teamCommaSeparatedOptional), kind: .text)
            .html(values["team"] ?? "", shown)
            + nonce + csrf + "<button type=\"submit\">\(HTML.escape(l.say(RegistryMessages.start)))</button></form>"
        return WebServer.html(
            Page(title: l.say(RegistryMessages.surveyTitle), tab: .survey, body: body, language: l, tabs: context.tabs), status: status)
    }

    func sweep(
        _ id: String, _ values: [String: String], _ errors: [String: String], notice: String?, csrf: String,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard id.count == 32, id.allSatisfy(\.isHexDigit), let view = try? await context.device.survey(id) else {
            return WebServer.problem(.notFound, l.say(RegistryMessages.noSuchSweep), l)
        }
        let shown = FieldErrors(errors: errors)
        var body = notice.map { "<p class=\"notice\" role=\"status\">\(HTML.escape($0))</p>" } ?? ""
        body += shown.message("")
        body +=
            "<ul class=\"timeline\">"
            + view.lines(l).dropFirst().map { "<li>\(HTML.escape($0.trimmingCharacters(in: .whitespaces)))</li>" }.joined()
            + "</ul>"
        body += "<h2>\(HTML.escape(l.say(RegistryMessages.recordHousehold)))</h2>"
        body +=
            "<form method=\"post\" action=\"/survey/\(id)/household\">"
            + Control(field: "address", label: l.say(RegistryMessages.addressOrHeadOfHousehold), kind: .text).html(
                values["address"] ?? "", shown)
            + Control(field: "found", label: l.say(RegistryMessages.childrenOfSchoolAgeFound), kind: .number(min: 0, max: 20))
            .html(values["found"] ?? "0", shown)
            + Control(field: "finding", label: l.say(RegistryMessages.finding), kind: .choice(Self.findings(l)))
            .html(values["finding"] ?? "", shown)
            + nonce + csrf + "<button type=\"submit\">\(HTML.escape(l.say(RegistryMessages.saveHousehold)))</button></form>"
        body += "<h2>\(HTML.escape(l.say(RegistryMessages.childWithoutPapersRecordedProvisionally)))</h2>"
        body +=
            "<form method=\"post\" action=\"/survey/\(id)/child\">"
            + Control(field: "name", label: l.say(RegistryMessages.childsName), kind: .text).html(values["name"] ?? "", shown)
            + Control(field: "where", label: l.say(RegistryMessages.whereFound), kind: .text).html(values["where"] ?? "", shown)
            + Control(field: "guardian", label: l.say(RegistryMessages.guardianOptional), kind: .text).html(
                values["guardian"] ?? "", shown)
            + nonce + csrf + "<button type=\"submit\">\(HTML.escape(l.say(RegistryMessages.recordProvisionally)))</button></form>"
        let (village, date) = (view.coverage.village ?? "", view.coverage.date ?? "")
        let title = l.say(RegistryMessages.surveyOfVillageOn, village, date)
        return WebServer.html(Page(title: title, tab: .survey, body: body, language: l, tabs: context.tabs), status: status)
    }
}
