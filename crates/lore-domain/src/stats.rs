//! The statistics behind the reports: medians, the two-proportion test (did version 3 keep
//! more people past step 4 than version 2, more than chance would?), and 95 % confidence
//! intervals for a difference of means (Welch's method, and the paired form for a person's
//! before and after). Pure functions over numbers; the distributions are computed here
//! (normal through `erfc`, Student's t through the regularised incomplete beta function) so
//! the figures are the textbook ones and tested against published tables.

/// The middle value; for an even count the mean of the two middle values. `None` when empty
/// or when a value is not a number.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() || values.iter().any(|v| v.is_nan()) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

/// Two rates compared with the pooled two-proportion z-test.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct TwoProportion {
    pub successes_a: u64,
    pub total_a: u64,
    pub successes_b: u64,
    pub total_b: u64,
    pub rate_a: f64,
    pub rate_b: f64,
    /// `rate_b - rate_a`.
    pub difference: f64,
    /// Of the difference, under the hypothesis that both rates are the same (pooled).
    pub standard_error: f64,
    pub z: f64,
    /// Two-sided.
    pub p_value: f64,
}

impl TwoProportion {
    /// More than chance at the usual 5 % level.
    pub fn significant(&self) -> bool {
        self.p_value < 0.05
    }
}

/// Compare `successes_a / total_a` with `successes_b / total_b`. `None` when a side has no one,
/// when successes exceed the total, or when every person on both sides did the same (no
/// variation to test).
pub fn two_proportion(
    successes_a: u64,
    total_a: u64,
    successes_b: u64,
    total_b: u64,
) -> Option<TwoProportion> {
    if total_a == 0 || total_b == 0 || successes_a > total_a || successes_b > total_b {
        return None;
    }
    let (na, nb) = (total_a as f64, total_b as f64);
    let rate_a = successes_a as f64 / na;
    let rate_b = successes_b as f64 / nb;
    let pooled = (successes_a + successes_b) as f64 / (na + nb);
    let standard_error = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    if standard_error == 0.0 {
        return None;
    }
    let difference = rate_b - rate_a;
    let z = difference / standard_error;
    Some(TwoProportion {
        successes_a,
        total_a,
        successes_b,
        total_b,
        rate_a,
        rate_b,
        difference,
        standard_error,
        z,
        p_value: (2.0 * normal_upper_tail(z.abs())).min(1.0),
    })
}

/// A difference of two means with its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MeanDifference {
    pub n_a: usize,
    pub n_b: usize,
    pub mean_a: f64,
    pub mean_b: f64,
    /// `mean_a - mean_b`.
    pub difference: f64,
    pub standard_error: f64,
    pub degrees_of_freedom: f64,
    /// The t quantile the interval uses (0.975, two-sided 95 %).
    pub t_critical: f64,
    pub low: f64,
    pub high: f64,
}

impl MeanDifference {
    /// The interval leaves out zero.
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// Welch's unequal-variances interval for `mean(a) - mean(b)`. `None` when a side has fewer
/// than two values, or when neither side varies.
pub fn welch(a: &[f64], b: &[f64]) -> Option<MeanDifference> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (mean_a, var_a) = mean_and_variance(a)?;
    let (mean_b, var_b) = mean_and_variance(b)?;
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (qa, qb) = (var_a / na, var_b / nb);
    let se2 = qa + qb;
    if se2 == 0.0 {
        return None;
    }
    let df = se2 * se2 / (qa * qa / (na - 1.0) + qb * qb / (nb - 1.0));
    Some(interval(a.len(), b.len(), mean_a, mean_b, se2.sqrt(), df))
}

/// The paired interval for `mean(after - before)`, one pair per person (`a` = after,
/// `b` = before in the result). `None` for unequal lengths, fewer than two pairs, or
/// differences that do not vary.
pub fn paired(before: &[f64], after: &[f64]) -> Option<MeanDifference> {
    if before.len() != after.len() || before.len() < 2 {
        return None;
    }
    let diffs: Vec<f64> = after.iter().zip(before).map(|(x, y)| x - y).collect();
    let (_, var) = mean_and_variance(&diffs)?;
    let n = diffs.len() as f64;
    let se = (var / n).sqrt();
    if se == 0.0 {
        return None;
    }
    let (mean_after, _) = mean_and_variance(after)?;
    let (mean_before, _) = mean_and_variance(before)?;
    Some(interval(
        after.len(),
        before.len(),
        mean_after,
        mean_before,
        se,
        n - 1.0,
    ))
}

fn interval(
    n_a: usize,
    n_b: usize,
    mean_a: f64,
    mean_b: f64,
    standard_error: f64,
    degrees_of_freedom: f64,
) -> MeanDifference {
    let difference = mean_a - mean_b;
    let t_critical = t_quantile_975(degrees_of_freedom);
    MeanDifference {
        n_a,
        n_b,
        mean_a,
        mean_b,
        difference,
        standard_error,
        degrees_of_freedom,
        t_critical,
        low: difference - t_critical * standard_error,
        high: difference + t_critical * standard_error,
    }
}

/// Mean and sample variance (n − 1); `None` for a value that is not finite.
fn mean_and_variance(xs: &[f64]) -> Option<(f64, f64)> {
    if xs.iter().any(|x| !x.is_finite()) || xs.is_empty() {
        return None;
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = if xs.len() > 1 {
        xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    Some((mean, var))
}

/// P(Z > z) for a standard normal Z.
pub fn normal_upper_tail(z: f64) -> f64 {
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// The complementary error function (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// P(T > t) for Student's t with `df` degrees of freedom (t ≥ 0).
fn t_upper_tail(t: f64, df: f64) -> f64 {
    0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// The t value with 2.5 % above it (the two-sided 95 % quantile), by bisection on the tail.
fn t_quantile_975(df: f64) -> f64 {
    if !df.is_finite() || df > 1e7 {
        return 1.959_963_984_540_054;
    }
    let (mut lo, mut hi) = (0.0_f64, 1e4_f64);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if t_upper_tail(mid, df) > 0.025 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// The regularised incomplete beta function I_x(a, b) (continued fraction, Lentz's method).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_fraction(a, b, x) / a
    } else {
        1.0 - ln_front.exp() * beta_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..500 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = G[0];
    for (i, g) in G.iter().enumerate().skip(1) {
        sum += g / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() < tol
    }

    #[test]
    fn medians_take_the_middle_or_the_mean_of_the_two_middles() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7.0]), Some(7.0));
        assert_eq!(median(&[30.0, 10.0, 20.0]), Some(20.0));
        assert_eq!(median(&[40.0, 10.0, 30.0, 20.0]), Some(25.0));
        assert_eq!(median(&[1.0, f64::NAN]), None);
    }

    #[test]
    fn t_quantiles_match_the_published_table() {
        // Student's t, two-sided 95 % (0.975 quantile), from any statistics table.
        for (df, t) in [
            (1.0, 12.706),
            (2.0, 4.303),
            (5.0, 2.571),
            (10.0, 2.228),
            (30.0, 2.042),
            (120.0, 1.980),
        ] {
            assert!(
                close(t_quantile_975(df), t, 5e-4),
                "df {df}: {}",
                t_quantile_975(df)
            );
        }
        // Between table rows, checked by integrating the t density numerically.
        assert!(close(t_quantile_975(7.5), 2.333_04, 1e-4));
    }

    #[test]
    fn normal_tails_match_the_published_table() {
        assert!(close(normal_upper_tail(1.959_964), 0.025, 1e-6));
        assert!(close(normal_upper_tail(0.0), 0.5, 1e-7));
        assert!(close(normal_upper_tail(-1.0), 0.841_345, 1e-6));
        assert!(close(normal_upper_tail(2.575_829), 0.005, 1e-6));
    }

    #[test]
    fn two_proportions_by_hand() {
        // 45 of 100 against 60 of 100: pooled 105/200 = 0.525,
        // se = sqrt(0.525 * 0.475 * (1/100 + 1/100)) = 0.070622, z = 0.15 / 0.070622 = 2.1240,
        // p = 2 * (1 - Φ(2.1240)) = 0.03367.
        let t = two_proportion(45, 100, 60, 100).unwrap();
        assert!(close(t.rate_a, 0.45, 1e-12) && close(t.rate_b, 0.60, 1e-12));
        assert!(close(t.difference, 0.15, 1e-12));
        assert!(close(t.standard_error, 0.070_622, 1e-6));
        assert!(close(t.z, 2.123_977, 1e-5), "{}", t.z);
        assert!(close(t.p_value, 0.033_67, 1e-4), "{}", t.p_value);
        assert!(t.significant());
        // 8 of 20 against 10 of 20 is well within chance.
        let t = two_proportion(8, 20, 10, 20).unwrap();
        assert!(!t.significant());
        assert!(two_proportion(0, 0, 1, 2).is_none());
        assert!(two_proportion(5, 5, 3, 3).is_none(), "no variation");
        assert!(
            two_proportion(6, 5, 3, 3).is_none(),
            "more successes than people"
        );
    }

    #[test]
    fn welch_by_hand() {
        // a: 10, 12, 14, 16 (mean 13, var 20/3); b: 5, 6, 7 (mean 6, var 1).
        // se² = (20/3)/4 + 1/3 = 2; se = 1.414214;
        // df = 4 / ((5/3)²/3 + (1/3)²/2) = 4 / (0.925926 + 0.055556) = 4.075472;
        // t(0.975, 4.075472) = 2.756285 (the t density integrated numerically);
        // interval 7 ± 2.756285 * 1.414214 = 7 ± 3.897975 = [3.102, 10.898].
        let w = welch(&[10.0, 12.0, 14.0, 16.0], &[5.0, 6.0, 7.0]).unwrap();
        assert_eq!((w.n_a, w.n_b), (4, 3));
        assert!(close(w.difference, 7.0, 1e-12));
        assert!(close(w.standard_error, std::f64::consts::SQRT_2, 1e-12));
        assert!(close(w.degrees_of_freedom, 4.075_472, 1e-5));
        assert!(close(w.t_critical, 2.756_285, 1e-5), "{}", w.t_critical);
        assert!(
            close(w.low, 3.102_025, 1e-5) && close(w.high, 10.897_975, 1e-5),
            "{w:?}"
        );
        assert!(w.excludes_zero());
        assert!(welch(&[1.0], &[1.0, 2.0]).is_none());
        assert!(welch(&[1.0, 1.0], &[2.0, 2.0]).is_none(), "no variation");
    }

    #[test]
    fn paired_by_hand() {
        // before 10, 20, 30; after 12, 25, 31: differences 2, 5, 1 (mean 8/3, sd 2.081666),
        // se = 2.081666 / sqrt 3 = 1.201850, t(0.975, 2) = 4.302653,
        // interval 2.666667 ± 5.171143 = [-2.504, 7.838].
        let p = paired(&[10.0, 20.0, 30.0], &[12.0, 25.0, 31.0]).unwrap();
        assert!(close(p.difference, 8.0 / 3.0, 1e-12));
        assert!(close(p.degrees_of_freedom, 2.0, 1e-12));
        assert!(
            close(p.low, -2.504, 1e-3) && close(p.high, 7.838, 1e-3),
            "{p:?}"
        );
        assert!(!p.excludes_zero());
        assert!(paired(&[1.0, 2.0], &[1.0]).is_none());
    }
}
