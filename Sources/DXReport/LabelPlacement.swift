import Foundation

/// An axis-aligned rectangle in pixels: a label's extent, or a region labels must keep clear of.
struct PixelBox: Equatable {
    var x0, y0, x1, y1: Double

    func overlaps(_ other: PixelBox) -> Bool { x0 < other.x1 && other.x0 < x1 && y0 < other.y1 && other.y0 < y1 }

    func contains(_ other: PixelBox) -> Bool { other.x0 >= x0 && other.x1 <= x1 && other.y0 >= y0 && other.y1 <= y1 }

    /// The box of a text of `width` whose baseline starts at (x, y), at `size` pixels, with one pixel to spare.
    static func text(x: Double, y: Double, width: Double, size: Double) -> PixelBox {
        PixelBox(x0: x - 1, y0: y - size * 0.92 - 1, x1: x + width + 1, y1: y + size * 0.26 + 1)
    }
}

/// Places the labels of a scatter chart so that no two overlap and each stays inside the plot: the one
/// mechanism behind the matrix's and the Morris chart's labels.
///
/// Labels are placed one at a time, most important first. Each is tried at eight positions around its point
/// (right, left, above, below, then the diagonals), at growing distances; the first position that overlaps no
/// label already placed and no blocked region wins. A label that ends up away from its point gets a leader line;
/// one that finds no place at all is left to the caller (numbered, with a key).
struct LabelPlacer {
    /// Where a placed label goes: its baseline start, and the leader line from the point's edge when it is far.
    struct Placement {
        var x: Double
        var y: Double
        var text: String
        var box: PixelBox
        var leader: (x0: Double, y0: Double, x1: Double, y1: Double)?
    }

    let bounds: PixelBox
    let fontSize: Double
    /// Regions taken: labels placed so far and whatever the caller blocked.
    private(set) var taken: [PixelBox] = []

    init(bounds: PixelBox, fontSize: Double) { (self.bounds, self.fontSize) = (bounds, fontSize) }

    /// Keeps labels off `box` (a quadrant's name, a legend, a marker).
    mutating func block(_ box: PixelBox) { taken.append(box) }

    /// The width `text` takes at the placer's font size: a conservative estimate for Helvetica, Arial and
    /// Liberation Sans (the widest of their average glyphs), so that the browser's boxes fit inside.
    func width(_ text: String) -> Double { SVGCanvas.textWidth(text, size: fontSize) }

    /// Places `text` near (cx, cy), a marker of radius `clearance`, trying `reach` distances (the farther ones
    /// with a leader line), or returns nil when no position is free.
    mutating func place(_ text: String, near cx: Double, _ cy: Double, clearance: Double, reach: Int = 5) -> Placement? {
        let w = width(text), h = fontSize
        let baselineOffset = h * 0.33
        for step in 0..<reach {
            let d = clearance + 3 + Double(step) * (step < 2 ? 8 : 16)
            let diagonal = d * 0.72
            // (x of the text's start, baseline y) per direction.
            let candidates: [(Double, Double)] = [
                (cx + d, cy + baselineOffset), (cx - d - w, cy + baselineOffset),
                (cx - w / 2, cy - d - 2), (cx - w / 2, cy + d + h - 2),
                (cx + diagonal, cy - diagonal), (cx - diagonal - w, cy - diagonal),
                (cx + diagonal, cy + diagonal + h * 0.7), (cx - diagonal - w, cy + diagonal + h * 0.7),
            ]
            for (x, y) in candidates {
                let box = PixelBox.text(x: x, y: y, width: w, size: h)
                guard bounds.contains(box), !taken.contains(where: { $0.overlaps(box) }) else { continue }
                taken.append(box)
                var leader: (Double, Double, Double, Double)?
                if step >= 2 {
                    // From the marker's edge towards the nearest point of the label's box.
                    let tx = min(max(cx, box.x0), box.x1), ty = min(max(cy, box.y0), box.y1)
                    let dx = tx - cx, dy = ty - cy, length = (dx * dx + dy * dy).squareRoot()
                    if length > clearance + 2 {
                        leader = (cx + dx / length * clearance, cy + dy / length * clearance, tx, ty)
                    }
                }
                return Placement(x: x, y: y, text: text, box: box, leader: leader)
            }
        }
        return nil
    }
}
