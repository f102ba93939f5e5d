import DXScenario
import Foundation

/// An SVG document being drawn: every chart draws through one canvas, which writes the document's header,
/// formats coordinates (one decimal), escapes every text and attribute, and shortens long names by one rule.
struct SVGCanvas {
    /// An attribute's value: a coordinate or length in pixels (written with one decimal), text as given, or
    /// nothing (the attribute is left out).
    enum Value: ExpressibleByStringLiteral {
        case pixels(Double)
        case text(String)
        case absent

        init(stringLiteral value: String) { self = .text(value) }

        var written: String {
            switch self {
            case let .pixels(x): SVGCanvas.format(x)
            case let .text(s): SVGCanvas.escape(s, quotes: true)
            case .absent: ""
            }
        }
    }

    let width: Double
    let height: Double
    private var elements: [String]

    /// A blank white canvas.
    init(width: Double, height: Double) {
        (self.width, self.height) = (width, height)
        let (w, h) = (Int(width), Int(height))
        elements = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(w)" height="\##(h)" viewBox="0 0 \##(w) \##(h)""##
                + ##" font-family="Helvetica, Arial, sans-serif">"##,
            ##"<rect width="100%" height="100%" fill="white"/>"##,
        ]
    }

    /// The finished document.
    var document: String { (elements + ["</svg>"]).joined(separator: "\n") + "\n" }

    /// An element with its attributes in the order given, and a tooltip (`<title>`) when `tip` is set, or text
    /// content when `content` is.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, Value>, tip: String? = nil, content: String? = nil) {
        let written = attributes.map { name, value in
            if case .absent = value { return "" }
            return ##" \##(name)="\##(value.written)""##
        }.joined()
        if let content {
            elements.append("<\(name)\(written)>\(Self.escape(content))</\(name)>")
        } else {
            elements.append(tip.map { "<\(name)\(written)><title>\(Self.escape($0))</title></\(name)>" } ?? "<\(name)\(written)/>")
        }
    }

    // MARK: Shapes

    /// The chart's title (bold, shortened to ``longestTitle`` characters) and a grey subtitle `gap` pixels below.
    mutating func heading(_ title: String, subtitle: String, x: Double, y: Double, gap: Double = 20) {
        text(x, y, shortened(title, to: Self.longestTitle), size: 18, weight: "bold")
        text(x, y + gap, subtitle, size: 12, fill: "#555")
    }

    mutating func text(_ x: Double, _ y: Double, _ s: String, size: Int, weight: String = "normal", fill: String = "#111",
                       anchor: String = "start", opacity: Double = 1) {
        element("text", ["x": .pixels(x), "y": .pixels(y), "font-size": .text("\(size)"), "font-weight": .text(weight), "fill": .text(fill),
                         "text-anchor": .text(anchor), "fill-opacity": .text("\(opacity)")], content: s)
    }

    /// A point's label (class `label`), with a white halo that keeps it readable where it passes near a bubble.
    mutating func haloText(_ x: Double, _ y: Double, _ s: String, size: Int) {
        element("text", ["x": .pixels(x), "y": .pixels(y), "font-size": .text("\(size)"), "fill": "#222", "stroke": "white",
                         "stroke-width": "3", "paint-order": "stroke", "class": "label"], content: s)
    }

    /// Text read bottom to top, centred on (x, y): a vertical axis title.
    mutating func verticalText(_ x: Int, _ y: Double, _ s: String, size: Int) {
        element("text", ["transform": .text("translate(\(x),\(Self.format(y))) rotate(-90)"), "font-size": .text("\(size)"),
                         "text-anchor": "middle"], content: s)
    }

    /// A line; `mark` names what it marks (class `whisker`, `threshold`) for the browser test's check that no label
    /// crosses one.
    mutating func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, stroke: String, width: Double, dash: String? = nil,
                       mark: String? = nil) {
        element("line", ["x1": .pixels(x0), "y1": .pixels(y0), "x2": .pixels(x1), "y2": .pixels(y1), "stroke": .text(stroke),
                         "stroke-width": .text("\(width)"), "stroke-dasharray": dash.map { .text($0) } ?? .absent,
                         "class": mark.map { .text($0) } ?? .absent])
    }

    /// An unfilled rectangle: a plot's frame.
    mutating func frame(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, stroke: String) {
        element("rect", ["x": .pixels(x0), "y": .pixels(y0), "width": .pixels(x1 - x0), "height": .pixels(y1 - y0), "fill": "none",
                         "stroke": .text(stroke)])
    }

    /// A filled bar between x0 and x1 (either order), with its value as a tooltip.
    mutating func bar(_ x0: Double, _ x1: Double, y: Double, height: Double, fill: String, tip: String) {
        element("rect", ["x": .pixels(min(x0, x1)), "y": .pixels(y), "width": .pixels(abs(x1 - x0)), "height": .pixels(height),
                         "fill": .text(fill)], tip: tip)
    }

    /// A legend's colour key: a small filled rectangle of whole-pixel size.
    mutating func swatch(_ x: Double, _ y: Double, width: Int, height: Int, fill: String) {
        element("rect", ["x": .pixels(x), "y": .pixels(y), "width": .text("\(width)"), "height": .text("\(height)"), "fill": .text(fill)])
    }

    /// A legend entry: a 10-pixel colour key at (x, y) and its label beside it.
    mutating func legendKey(_ x: Double, _ y: Double, fill: String, label: String) {
        swatch(x, y, width: 10, height: 10, fill: fill)
        text(x + 14, y + 9, label, size: 11)
    }

    /// A dot of whole-pixel radius, with a tooltip.
    mutating func dot(_ x: Double, _ y: Double, radius: Int, fill: String, tip: String) {
        element("circle", ["cx": .pixels(x), "cy": .pixels(y), "r": .text("\(radius)"), "fill": .text(fill)], tip: tip)
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double, dash: String? = nil) {
        element("polyline", ["points": .text(Self.points(points)), "fill": "none", "stroke": .text(stroke),
                             "stroke-width": .text("\(width == width.rounded() ? String(Int(width)) : "\(width)")"),
                             "stroke-dasharray": dash.map { .text($0) } ?? .absent])
    }

    /// A band between two curves: `upper` left to right, then `lower` back.
    mutating func band(upper: [(Double, Double)], lower: [(Double, Double)], fill: String, opacity: Double) {
        element(
            "polygon", ["points": .text(Self.points(upper + lower.reversed())), "fill": .text(fill), "fill-opacity": .text("\(opacity)")])
    }

    // MARK: Axes

    /// Tick marks and labels under a horizontal axis at `y`.
    mutating func xTicks(_ axis: SVGAxis, y: Double, size: Int = 10, label: (Double) -> String) {
        for t in axis.ticks {
            line(axis.pixel(t), y, axis.pixel(t), y + 4, stroke: "#999", width: 1)
            text(axis.pixel(t), y + 16, label(t), size: size, fill: "#333", anchor: "middle")
        }
    }

    /// Tick labels left of a vertical axis at `x`.
    mutating func yTickLabels(_ values: [Double], x: Double, pixel: (Double) -> Double, size: Int = 10, label: (Double) -> String) {
        for t in values { text(x, pixel(t) + 4, label(t), size: size, fill: "#333", anchor: "end") }
    }

    // MARK: Text rules

    /// Titles are shortened to this many characters.
    static let longestTitle = 80

    /// The width `s` takes at `size` pixels in Helvetica, Arial or Liberation Sans (metric-compatible), from
    /// their advance widths by class of character (in em), rounded up 4% so that a browser's box fits inside.
    static func textWidth(_ s: String, size: Double = 11) -> Double {
        let em = s.unicodeScalars.reduce(0.0) { sum, c in
            let width: Double = switch c {
            case "i", "j", "l", "I", "'", "|": 0.23
            case "f", "t", " ", ".", ",", ":", ";", "!", "/": 0.28
            case "r", "(", ")", "[", "]", "-", "{", "}": 0.34
            case "m", "M", "…", "%": 0.89
            case "w", "W", "@", "—": 0.95
            case "A"..."Z", "&", "≥", "≤": 0.72
            default: 0.56
            }
            return sum + width
        }
        return em * size * 1.04
    }

    static func format(_ x: Double) -> String { String(format: "%.1f", x) }

    static func points(_ points: [(Double, Double)]) -> String { points.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " ") }

    /// `s` as XML text; `quotes` also escapes double quotes, for attribute values. Control characters, which XML
    /// 1.0 forbids even as references (a NUL or an ESC in a name), are written out visibly (`\x1B`), so the file
    /// stays well-formed whatever a name holds.
    static func escape(_ s: String, quotes: Bool = false) -> String {
        let text = ControlCharacters.escaped(s).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return quotes ? text.replacingOccurrences(of: "\"", with: "&quot;") : text
    }
}
