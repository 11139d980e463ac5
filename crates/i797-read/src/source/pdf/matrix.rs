//! PDF reading, geometry: the one affine matrix type, shared by the text layer, the picture walk
//! and the renderer's work budget. Pure arithmetic: no document access, no parsing.

/// An affine map `[a b c d e f]` in PDF's row-vector convention: `(x, y) ↦ (ax + cy + e, bx + dy + f)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Matrix(pub [f64; 6]);

impl Matrix {
    pub(super) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// The matrix of six numbers, `None` for any other count.
    pub(super) fn from_slice(values: &[f64]) -> Option<Matrix> {
        <[f64; 6]>::try_from(values).ok().map(Matrix)
    }

    pub(super) fn translate(x: f64, y: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` applied first, then `next` (PDF's `self × next`).
    pub(super) fn then(self, next: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [na, nb, nc, nd, ne, nf] = next.0;
        Matrix([
            a * na + b * nc,
            a * nb + b * nd,
            c * na + d * nc,
            c * nb + d * nd,
            e * na + f * nc + ne,
            e * nb + f * nd + nf,
        ])
    }

    pub(super) fn apply(self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    /// The axis-aligned bounding box `[x0, y0, x1, y1]` of the box `[x0, y0, x1, y1]` mapped by
    /// `self` (its four corners mapped).
    pub(super) fn map_box(self, [x0, y0, x1, y1]: [f64; 4]) -> [f64; 4] {
        let mut r = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for (x, y) in [(x0, y0), (x1, y0), (x0, y1), (x1, y1)] {
            let (x, y) = self.apply(x, y);
            r = [r[0].min(x), r[1].min(y), r[2].max(x), r[3].max(y)];
        }
        r
    }

    pub(super) fn is_finite(self) -> bool {
        self.0.iter().all(|v| v.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 3.0, 0.0, 0.0]);
        let shift = Matrix::translate(10.0, 20.0);
        // Scale first, then shift: (1, 1) → (2, 3) → (12, 23).
        assert_eq!(scale.then(shift).apply(1.0, 1.0), (12.0, 23.0));
        assert_eq!(shift.then(scale).apply(1.0, 1.0), (22.0, 63.0));
    }

    #[test]
    fn a_turned_box_is_bounded_by_its_mapped_corners() {
        let quarter_turn = Matrix([0.0, 1.0, -1.0, 0.0, 0.0, 0.0]);
        assert_eq!(
            quarter_turn.map_box([0.0, 0.0, 2.0, 1.0]),
            [-1.0, 0.0, 0.0, 2.0]
        );
    }

    #[test]
    fn only_six_numbers_make_a_matrix() {
        assert_eq!(Matrix::from_slice(&[1.0; 5]), None);
        assert!(Matrix::from_slice(&[1.0; 6]).is_some());
    }
}
