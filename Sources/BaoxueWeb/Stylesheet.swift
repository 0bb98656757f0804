import Hummingbird

/// The app's only stylesheet, served from the device itself (no external fonts or CDNs): phone
/// first (360 px), text at least 16 px, touch targets at least 44 px, WCAG AA contrast.
enum Stylesheet {
    /// The stylesheet as served, cached for an hour (the field app and the relay's page alike).
    static var response: Response {
        Response(
            status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: css)))
    }

    static let css = """
        *{box-sizing:border-box}
        html{font-size:17px;-webkit-text-size-adjust:100%}
        body{margin:0;font-family:"Noto Sans CJK SC","Noto Sans SC",sans-serif;color:#1a1a1a;background:#f6f6f4;line-height:1.5}
        header{background:#14532d;color:#fff;padding:.6rem 1rem}
        h1{font-size:1.2rem;margin:0}
        h2{font-size:1.05rem;margin:1.2rem 0 .4rem}
        main{padding:.6rem 1rem 5.5rem;max-width:48rem;margin:0 auto;overflow-wrap:anywhere}
        nav{position:fixed;bottom:0;left:0;right:0;display:flex;background:#fff;border-top:1px solid #bbb}
        nav a{flex:1;text-align:center;padding:.8rem 0;min-height:48px;color:#14532d;text-decoration:none;font-weight:600}
        nav a[aria-current=page]{background:#e3efe6}
        ul.cards{list-style:none;padding:0;margin:0}
        ul.cards li{background:#fff;border:1px solid #ccc;border-radius:8px;margin:.4rem 0}
        ul.cards a{display:block;padding:.7rem .8rem;min-height:48px;color:#1a1a1a;text-decoration:none}
        .why{display:block;color:#4a4a4a;font-size:.95rem}
        .empty{color:#4a4a4a}
        form{background:#fff;border:1px solid #ccc;border-radius:8px;padding:.8rem;margin:.6rem 0}
        label{display:block;font-weight:600;margin:.6rem 0 .2rem}
        input[type=text],input[type=date],input[type=number],input[type=search],input[type=password]{
          width:100%;font-size:1rem;padding:.6rem;min-height:48px;border:1px solid #767676;border-radius:6px}
        input[type=file]{width:100%;min-height:48px;padding:.6rem;font-size:1rem;border:1px dashed #767676;border-radius:6px;
          background:#fff}
        fieldset{border:0;padding:0;margin:.6rem 0}
        legend{font-weight:600}
        .choices{display:flex;gap:.5rem}
        .choices label{flex:1;margin:0;font-weight:400}
        .choices.stacked{flex-direction:column}.choices.stacked span{text-align:left}
        .actions{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}.actions .button{margin:0}
        progress{width:100%;height:1.6rem}
        .photos{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}.photos img{width:100%;border-radius:6px;border:1px solid #ccc}
        table{border-collapse:collapse;width:100%;background:#fff}td,th{border-bottom:1px solid #ccc;padding:.5rem;text-align:left}
        .choices input{width:1.3rem;height:1.3rem;vertical-align:middle;margin-right:.4rem}
        .choices span{display:block;border:1px solid #767676;border-radius:6px;padding:.6rem;min-height:48px;text-align:center}
        button,.button{display:block;width:100%;font-size:1.05rem;padding:.7rem;min-height:48px;border:0;border-radius:6px;
          background:#14532d;color:#fff;font-weight:600;text-align:center;text-decoration:none;margin-top:.8rem}
        .error{color:#9b1c1c;font-weight:600;margin:.2rem 0}
        .button.secondary{background:#fff;color:#9b1c1c;border:1px solid #9b1c1c}button.danger{background:#9b1c1c}
        ul.devices span{display:block}
        figure.chart{margin:.4rem 0}figure.chart svg{display:block}
        p.legend span{display:inline-block;margin-right:.8rem}
        figure.qr{margin:.8rem 0;text-align:center}figure.qr svg{max-width:100%;height:auto}
        table.figures{margin:.4rem 0 .8rem}table.figures caption{text-align:left;font-weight:600;padding:.2rem 0}
        table.figures td,table.figures th{padding:.4rem .3rem}tr.sum{font-weight:600}
        .notice{background:#e3efe6;border-left:4px solid #14532d;padding:.5rem .8rem}
        dt{font-weight:600;color:#333}dd{margin:0}
        code{font-family:"Noto Sans Mono CJK SC",monospace;font-size:1rem}
        ul.devices{list-style:none;padding:0;margin:0}
        ul.devices li{background:#fff;border:1px solid #ccc;border-radius:8px;margin:.4rem 0;padding:.6rem .8rem}
        ul.timeline{padding-left:1.2rem}ul.timeline li{margin:.3rem 0}
        dl{display:grid;grid-template-columns:auto 1fr;gap:.1rem .8rem;background:#fff;border:1px solid #ccc;border-radius:8px;
          padding:.6rem .8rem;margin-top:.8rem}
        """
}
