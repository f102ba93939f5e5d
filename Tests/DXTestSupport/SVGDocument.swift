import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG file parsed as XML, for tests that check what a chart must contain rather than how it starts.
public struct SVGDocument {
    public struct Element {
        public let name: String
        public let attributes: [String: String]
        /// The element's own text (for `text` and `title`).
        public var text: String
    }

    /// Every element in document order.
    public let elements: [Element]
    public let width: Double
    public let height: Double

    /// Parses `svg`; throws when it is not well-formed XML or its root is not an `svg` element with a size.
    public init(_ svg: String) throws {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        guard parser.parse() else { throw SVGError("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")") }
        guard let root = collector.elements.first, root.name == "svg",
              let w = root.attributes["width"].flatMap(Double.init), let h = root.attributes["height"].flatMap(Double.init) else {
            throw SVGError("the root is not an <svg> with a width and a height")
        }
        elements = collector.elements
        (width, height) = (w, h)
    }

    public init(contentsOfFile path: String) throws { try self.init(String(contentsOfFile: path, encoding: .utf8)) }

    /// The elements named `name`.
    public func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    /// The text of every `text` element, in document order.
    public var texts: [String] { all("text").map(\.text) }

    /// Whether some `text` element contains `fragment`.
    public func hasText(_ fragment: String) -> Bool { texts.contains { $0.contains(fragment) } }

    /// Elements with a numeric attribute outside the canvas (a sign of NaN or runaway coordinates).
    public func outsideCanvas(attributes: [String] = ["x", "y", "cx", "cy", "x1", "x2", "y1", "y2"]) -> [Element] {
        elements.dropFirst().filter { e in
            attributes.contains { a in
                guard let v = e.attributes[a] else { return false }
                guard let x = Double(v), x.isFinite else { return !v.hasSuffix("%") }
                let limit = a.hasPrefix("x") || a == "cx" ? width : height
                return x < -1 || x > limit + 1
            }
        }
    }

    final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var open: [Int] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append(Element(name: name, attributes: attributes, text: ""))
            open.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let i = open.last { elements[i].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }
    }
}

public struct SVGError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
