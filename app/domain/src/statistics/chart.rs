//! The sign-ups chart of the Statistics page: one bar a day over the range, a value axis in round
//! steps, date labels that never crowd, and the sentence screen readers hear.

use serde::{Deserialize, Serialize};

use super::DateRange;
use crate::calendar::{long_date, short_date};

/// One day of the sign-ups series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: i64,
    pub count: i64,
}

/// One entry per day of the range, in order: the days the database had (`sparse`, any order)
/// with their counts, every other day 0. Days outside the range are dropped.
pub fn fill_days(range: DateRange, sparse: &[DayCount]) -> Vec<DayCount> {
    let mut out: Vec<DayCount> = (range.from_day..=range.to_day)
        .map(|day| DayCount { day, count: 0 })
        .collect();
    for d in sparse {
        if (range.from_day..=range.to_day).contains(&d.day) {
            out[(d.day - range.from_day) as usize].count += d.count;
        }
    }
    out
}

/// A value axis: from 0 to `top` in steps of `step` (1, 2 or 5 × a power of ten), at most
/// [`MAX_INTERVALS`] steps, `top` the first step at or above the largest value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    pub top: i64,
    pub step: i64,
}

pub const MAX_INTERVALS: i64 = 5;

impl Scale {
    pub fn for_max(max: i64) -> Scale {
        let max = max.max(1);
        let mut power = 1i64;
        loop {
            for m in [1, 2, 5] {
                let step = m * power;
                let intervals = (max + step - 1) / step;
                if intervals <= MAX_INTERVALS {
                    return Scale {
                        top: intervals * step,
                        step,
                    };
                }
            }
            power *= 10;
        }
    }

    /// 0, step, 2·step, …, top.
    pub fn ticks(&self) -> Vec<i64> {
        (0..=self.top / self.step).map(|i| i * self.step).collect()
    }
}

/// The chart's drawing box (SVG user units): the whole picture and the plot's margins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

/// The sign-ups chart's frame: room for count labels on the left and dates below.
pub const CHART: Frame = Frame {
    width: 1100.0,
    height: 300.0,
    left: 52.0,
    right: 28.0,
    top: 16.0,
    bottom: 36.0,
};

impl Frame {
    pub fn plot_width(&self) -> f64 {
        self.width - self.left - self.right
    }

    pub fn plot_height(&self) -> f64 {
        self.height - self.top - self.bottom
    }

    /// The bottom of the plot (value 0).
    pub fn baseline(&self) -> f64 {
        self.height - self.bottom
    }

    /// The y of `value` on `scale`.
    pub fn y(&self, value: i64, scale: &Scale) -> f64 {
        round1(self.baseline() - value as f64 / scale.top as f64 * self.plot_height())
    }

    /// The width each of `n` days gets.
    pub fn slot(&self, n: usize) -> f64 {
        self.plot_width() / n.max(1) as f64
    }

    /// The x of the middle of day `i` of `n`.
    pub fn centre(&self, i: usize, n: usize) -> f64 {
        round1(self.left + (i as f64 + 0.5) * self.slot(n))
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// One day's bar in SVG units.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub day: i64,
    pub count: i64,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// One bar per day: 70% of its slot (at most 28 units, at least 1), rising from the baseline.
pub fn bars(series: &[DayCount], scale: &Scale, frame: &Frame) -> Vec<Bar> {
    let n = series.len();
    let slot = frame.slot(n);
    let width = round1((slot * 0.7).clamp(1.0_f64.min(slot), 28.0));
    series
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let y = frame.y(d.count, scale);
            Bar {
                day: d.day,
                count: d.count,
                x: round1(frame.centre(i, n) - width / 2.0),
                y,
                width,
                height: round1(frame.baseline() - y),
            }
        })
        .collect()
}

/// The date labels under the chart: every `k`-th day from the first, `k` chosen (1, 2, 7, 14, …
/// days) so at most [`MAX_LABELS`] fit. (x of the day's centre, "1 Mar").
pub fn date_labels(range: DateRange, frame: &Frame) -> Vec<(f64, String)> {
    let n = range.days().max(1) as usize;
    let every = label_every(n);
    (0..n)
        .step_by(every)
        .map(|i| (frame.centre(i, n), short_date(range.from_day + i as i64)))
        .collect()
}

pub const MAX_LABELS: usize = 8;

/// Days between two date labels for `n` days: the smallest of 1, 2, 7, 14, 28, 56, … that keeps
/// the labels to [`MAX_LABELS`].
pub fn label_every(n: usize) -> usize {
    let mut every = 1;
    let mut next = [2usize, 7, 14].into_iter();
    while n.div_ceil(every) > MAX_LABELS {
        every = next.next().unwrap_or(every * 2);
    }
    every
}

/// What the chart says, for screen readers (`aria-label`) and as its caption.
pub fn chart_summary(range: DateRange, series: &[DayCount]) -> String {
    let total: i64 = series.iter().map(|d| d.count).sum();
    let span = range.label();
    if total == 0 {
        return format!("Sign-ups per day, {span}: none.");
    }
    let best = series
        .iter()
        .max_by_key(|d| (d.count, -d.day))
        .copied()
        .unwrap_or(DayCount { day: 0, count: 0 });
    let empty = series.iter().filter(|d| d.count == 0).count();
    let signups = if total == 1 { "sign-up" } else { "sign-ups" };
    let days = match empty {
        0 => "every day had some".to_string(),
        1 => "1 day with none".to_string(),
        n => format!("{n} days with none"),
    };
    format!(
        "Sign-ups per day, {span}: {total} {signups} in all; most on {} ({}); {days}.",
        long_date(best.day),
        best.count
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAR_1_2026: i64 = 20_513;

    #[test]
    fn every_day_of_the_range_gets_a_count_empty_days_zero() {
        let range = DateRange {
            from_day: 100,
            to_day: 104,
        };
        let sparse = [
            DayCount { day: 103, count: 2 },
            DayCount { day: 100, count: 5 },
            DayCount { day: 99, count: 9 },
            DayCount { day: 105, count: 9 },
        ];
        let filled = fill_days(range, &sparse);
        assert_eq!(
            filled.iter().map(|d| (d.day, d.count)).collect::<Vec<_>>(),
            [(100, 5), (101, 0), (102, 0), (103, 2), (104, 0)]
        );
    }

    #[test]
    fn the_value_axis_uses_round_steps_and_at_most_five_intervals() {
        let cases: &[(i64, i64, i64)] = &[
            // max, step, top
            (0, 1, 1),
            (1, 1, 1),
            (3, 1, 3),
            (5, 1, 5),
            (6, 2, 6),
            (7, 2, 8),
            (10, 2, 10),
            (12, 5, 15),
            (25, 5, 25),
            (26, 10, 30),
            (100, 20, 100),
            (101, 50, 150),
            (999, 200, 1000),
            (4321, 1000, 5000),
        ];
        for (max, step, top) in cases {
            let s = Scale::for_max(*max);
            assert_eq!((s.step, s.top), (*step, *top), "max {max}");
            let ticks = s.ticks();
            assert_eq!(ticks.first(), Some(&0));
            assert_eq!(ticks.last(), Some(top));
            assert!(
                ticks.len() as i64 <= MAX_INTERVALS + 1,
                "max {max}: {ticks:?}"
            );
        }
    }

    #[test]
    fn bars_stand_on_the_baseline_in_their_day_slots() {
        let frame = Frame {
            width: 140.0,
            height: 120.0,
            left: 20.0,
            right: 20.0,
            top: 10.0,
            bottom: 10.0,
        };
        let scale = Scale { top: 10, step: 2 };
        let series = [
            DayCount { day: 1, count: 10 },
            DayCount { day: 2, count: 0 },
            DayCount { day: 3, count: 5 },
            DayCount { day: 4, count: 1 },
        ];
        let b = bars(&series, &scale, &frame);
        // 100 units for 4 days: 25 a slot, bars 17.5 wide, centred.
        let cases: &[(f64, f64, f64)] = &[
            // x, y, height
            (23.8, 10.0, 100.0),
            (48.8, 110.0, 0.0),
            (73.8, 60.0, 50.0),
            (98.8, 100.0, 10.0),
        ];
        for (bar, (x, y, h)) in b.iter().zip(cases) {
            assert_eq!((bar.x, bar.y, bar.height), (*x, *y, *h), "{bar:?}");
            assert_eq!(bar.width, 17.5);
            assert_eq!(bar.y + bar.height, frame.baseline());
        }
        // Many days: thin bars, never wider than 28 nor narrower than 1 unit.
        let many: Vec<DayCount> = (0..366).map(|day| DayCount { day, count: 1 }).collect();
        let b = bars(&many, &scale, &CHART);
        assert!(b.iter().all(|bar| bar.width >= 1.0 && bar.width <= 28.0));
        assert!(b.last().unwrap().x + b.last().unwrap().width <= CHART.width - CHART.right + 0.1);
        let one = bars(&[DayCount { day: 0, count: 3 }], &scale, &CHART);
        assert_eq!(one[0].width, 28.0);
    }

    #[test]
    fn date_labels_thin_out_so_they_never_crowd() {
        let cases: &[(usize, usize)] = &[
            (1, 1),
            (8, 1),
            (9, 2),
            (16, 2),
            (17, 7),
            (30, 7),
            (56, 7),
            (57, 14),
            (112, 14),
            (113, 28),
            (366, 56),
        ];
        for (n, every) in cases {
            assert_eq!(label_every(*n), *every, "{n} days");
            assert!(n.div_ceil(*every) <= MAX_LABELS);
        }
        let range = DateRange {
            from_day: MAR_1_2026,
            to_day: MAR_1_2026 + 29,
        };
        let labels = date_labels(range, &CHART);
        assert_eq!(
            labels.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(),
            ["1 Mar", "8 Mar", "15 Mar", "22 Mar", "29 Mar"]
        );
        assert_eq!(labels[0].0, CHART.centre(0, 30));
    }

    #[test]
    fn the_chart_summary_says_total_peak_and_empty_days() {
        let range = DateRange {
            from_day: MAR_1_2026,
            to_day: MAR_1_2026 + 2,
        };
        let d = |i: i64, count| DayCount {
            day: MAR_1_2026 + i,
            count,
        };
        let cases: &[(Vec<DayCount>, &str)] = &[
            (
                vec![d(0, 0), d(1, 0), d(2, 0)],
                "Sign-ups per day, 1 Mar 2026 – 3 Mar 2026: none.",
            ),
            (
                vec![d(0, 2), d(1, 0), d(2, 3)],
                "Sign-ups per day, 1 Mar 2026 – 3 Mar 2026: 5 sign-ups in all; most on 3 Mar 2026 (3); 1 day with none.",
            ),
            (
                vec![d(0, 1), d(1, 0), d(2, 0)],
                "Sign-ups per day, 1 Mar 2026 – 3 Mar 2026: 1 sign-up in all; most on 1 Mar 2026 (1); 2 days with none.",
            ),
            (
                vec![d(0, 4), d(1, 4), d(2, 1)],
                "Sign-ups per day, 1 Mar 2026 – 3 Mar 2026: 9 sign-ups in all; most on 1 Mar 2026 (4); every day had some.",
            ),
        ];
        for (series, expected) in cases {
            assert_eq!(chart_summary(range, series), *expected);
        }
    }
}
