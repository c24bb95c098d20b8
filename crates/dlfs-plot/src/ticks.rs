//! Axis ranges and tick positions.

/// A usable axis range: finite, increasing, not empty. `None` if `lo`/`hi` are not finite.
pub(crate) fn clean_range((lo, hi): (f64, f64)) -> Option<(f64, f64)> {
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if hi - lo > 1e-12 * lo.abs().max(hi.abs()).max(1e-300) {
        Some((lo, hi))
    } else {
        let pad = if lo == 0.0 { 0.5 } else { 0.5 * lo.abs() };
        Some((lo - pad, hi + pad))
    }
}

/// The range of the finite values, widened by `margin` of its span on each side
/// (matplotlib's default margin is 5%); `(0, 1)` if there is no finite value.
pub(crate) fn auto_range(values: impl IntoIterator<Item = f64>, margin: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    match clean_range((lo, hi)) {
        Some((lo, hi)) => {
            let pad = (hi - lo) * margin;
            (lo - pad, hi + pad)
        }
        None => (0.0, 1.0),
    }
}

/// The user's range if usable, otherwise `auto`.
pub(crate) fn pick_range(
    user: Option<(f64, f64)>,
    auto: impl FnOnce() -> (f64, f64),
) -> (f64, f64) {
    user.and_then(clean_range).unwrap_or_else(auto)
}

/// Tick positions on an axis and how to write them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ticks {
    pub values: Vec<f64>,
    decimals: usize,
    /// Mantissa decimals when the labels are written as powers of ten.
    sci_digits: Option<usize>,
}

impl Ticks {
    /// A tick label: fixed decimals, or powers of ten for very small or large steps
    /// ("2.0e-11", "1.5e6").
    pub fn label(&self, v: f64) -> String {
        match self.sci_digits {
            Some(_) if v == 0.0 => "0".to_string(),
            Some(digits) => format!("{v:.digits$e}"),
            None => format_tick(v, self.decimals),
        }
    }
}

/// Round tick positions inside `[lo, hi]`: the smallest step of 1, 2, 2.5 or 5 times a
/// power of ten that gives at most `max_ticks` ticks, and the number of decimals that
/// shows them exactly.
pub(crate) fn nice_ticks(lo: f64, hi: f64, max_ticks: usize) -> Ticks {
    let max_ticks = max_ticks.max(2);
    let count = |step: f64| ((hi / step + 1e-9).floor() - (lo / step - 1e-9).ceil() + 1.0) as usize;
    let mut exp = ((hi - lo) / max_ticks as f64).log10().floor() as i32 - 1;
    let step = 'search: loop {
        for mult in [1.0, 2.0, 2.5, 5.0] {
            let step = mult * 10f64.powi(exp);
            if count(step) <= max_ticks {
                break 'search step;
            }
        }
        exp += 1;
    };
    let decimals = (0..12)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled
        })
        .unwrap_or(12);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let values: Vec<f64> = (first..=last).map(|k| k as f64 * step).collect();
    let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let sci_digits = (decimals > 5 || step >= 1e5)
        .then(|| (largest.log10().floor() - step.log10().floor()).clamp(0.0, 3.0) as usize);
    Ticks {
        values,
        decimals,
        sci_digits,
    }
}

/// A tick label: fixed decimals, no "-0".
pub(crate) fn format_tick(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A number with as few decimals as it needs (at most 4): "3", "-0.5", "0.125".
pub(crate) fn short_number(v: &f64) -> String {
    let s = format_tick(*v, 4);
    match s.contains('.') {
        true => s.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn ticks_of_minus_five_to_five_are_steps_of_two() {
        let t = nice_ticks(-5.5, 5.5, 6);
        assert_eq!(t.values, vec![-4.0, -2.0, 0.0, 2.0, 4.0]);
        assert_eq!(t.label(-4.0), "-4");
    }

    #[test]
    fn ticks_of_unit_range_have_one_decimal() {
        let t = nice_ticks(-0.1, 1.1, 7);
        assert_eq!(t.values.len(), 6);
        assert_eq!(t.label(t.values[0]), "0.0");
        assert_eq!(t.label(t.values[5]), "1.0");
        assert_eq!(format_tick(-0.0001, 1), "0.0");
    }

    #[test]
    fn ticks_of_a_quarter_step_have_two_decimals() {
        let t = nice_ticks(0.0, 1.0, 5);
        assert_eq!(t.values, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(t.label(0.75), "0.75");
    }

    #[test]
    fn tiny_and_huge_ticks_use_powers_of_ten() {
        let tiny = nice_ticks(0.0, 1e-10, 6);
        assert_eq!(tiny.label(tiny.values[1]), "2.0e-11");
        assert_eq!(tiny.label(tiny.values[5]), "1.0e-10");
        assert_eq!(tiny.label(0.0), "0");
        let huge = nice_ticks(0.0, 3e6, 7);
        assert_eq!(huge.label(huge.values[3]), "1.5e6");
        assert_eq!(huge.label(huge.values[1]), "5.0e5");
    }

    #[test]
    fn auto_range_ignores_infinities_and_pads_five_percent() {
        let (lo, hi) = auto_range([0.0, f64::INFINITY, 10.0, f64::NAN], 0.05);
        assert!((lo + 0.5).abs() < 1e-12 && (hi - 10.5).abs() < 1e-12);
        assert_eq!(auto_range([f64::NAN], 0.05), (0.0, 1.0));
    }
}
