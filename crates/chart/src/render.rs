//! The one renderer: draws a [`Chart`] with plotters on any backend (SVG, bitmap) and
//! returns the [`Geometry`] of what it drew, so a click can be mapped back to a bucket,
//! a series, a bar or a matrix cell.
//!
//! Layout is computed here rather than by plotters' chart builder so that every
//! position is known: title on top, caption (the filters) at the bottom, the legend
//! beside the plot (never over the data), date ticks chosen to fit their labels.

use chrono::{Days, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, TextStyle};
use serde::Serialize;

use crate::bucket::{Period, TickStep};
use crate::palette::{self, SeriesStyle};
use crate::query::{Body, Chart, Matrix, RankingBar, TimeSeries, TimeStyle};
use crate::{fonts, ChartError, Result};

/// A rectangle in output pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    fn from_corners(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect { x: x0.min(x1), y: y0.min(y1), width: (x1 - x0).abs(), height: (y1 - y0).abs() }
    }

    fn right(&self) -> f64 {
        self.x + self.width
    }

    fn bottom(&self) -> f64 {
        self.y + self.height
    }

    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x < self.right() && y >= self.y && y < self.bottom()
    }
}

/// A slice of the plot along one axis: a time bucket or matrix column (x), a ranking
/// bar or matrix row (y).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// The bucket's first day (`YYYY-MM-DD`) or the country code.
    pub key: String,
    pub label: String,
    pub start: f64,
    pub end: f64,
}

/// A series as drawn, in the chart's series order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DrawnSeries {
    pub key: String,
    pub label: String,
    /// `#rrggbb`.
    pub colour: String,
}

/// Something clickable: a point of a line, a bar segment, a ranking bar, a cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    pub column: Option<usize>,
    pub row: Option<usize>,
    pub series: Option<usize>,
    pub rect: Rect,
    pub value: f64,
}

/// Where a chart's parts landed, in output pixels (scale included).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Geometry {
    pub width: u32,
    pub height: u32,
    /// The plot area (for a "no data" chart, the empty frame).
    pub plot: Rect,
    /// Time buckets (time charts) or accused countries (matrix), left to right.
    pub columns: Vec<Band>,
    /// Bars (ranking) or accusers (matrix), top to bottom.
    pub rows: Vec<Band>,
    pub series: Vec<DrawnSeries>,
    pub marks: Vec<Mark>,
    /// The values at the bottom and top of the value axis.
    pub value_range: Option<(f64, f64)>,
}

/// What a click at a point hits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub column: Option<usize>,
    pub row: Option<usize>,
    pub series: Option<usize>,
    pub value: Option<f64>,
}

impl Geometry {
    /// The mark under `(x, y)` (the nearest one when marks overlap), else the bucket,
    /// row or column under it; `None` outside the plot.
    pub fn hit(&self, x: f64, y: f64) -> Option<Hit> {
        let centre_distance = |mark: &Mark| (mark.rect.y + mark.rect.height / 2.0 - y).abs();
        let nearest = self
            .marks
            .iter()
            .filter(|mark| mark.rect.contains(x, y))
            .min_by(|a, b| centre_distance(a).total_cmp(&centre_distance(b)));
        if let Some(mark) = nearest {
            return Some(Hit {
                column: mark.column,
                row: mark.row,
                series: mark.series,
                value: Some(mark.value),
            });
        }
        if !self.plot.contains(x, y) {
            return None;
        }
        let column = self.columns.iter().position(|band| x >= band.start && x < band.end);
        let row = self.rows.iter().position(|band| y >= band.start && y < band.end);
        Some(Hit { column, row, series: None, value: None })
    }
}

// Sizes in pixels at scale 1.
const MARGIN: f64 = 16.0;
const TITLE_SIZE: f64 = 20.0;
const AXIS_SIZE: f64 = 14.0;
const TICK_SIZE: f64 = 12.5;
const CAPTION_SIZE: f64 = 12.0;
const LEGEND_ROW: f64 = 20.0;

const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const MUTED_INK: RGBColor = RGBColor(0x55, 0x55, 0x55);
const AXIS: RGBColor = RGBColor(0x66, 0x66, 0x66);
const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
const EMPTY_CELL: RGBColor = RGBColor(0xF2, 0xF2, 0xF2);

fn draw_error(error: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(error.to_string())
}

/// Drawing primitives in output pixels, with sizes given at scale 1.
struct Painter<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    scale: f64,
}

impl<DB: DrawingBackend> Painter<'_, DB> {
    fn px(&self, size: f64) -> f64 {
        size * self.scale
    }

    fn font(&self, size: f64, bold: bool) -> FontDesc<'static> {
        let style = if bold { FontStyle::Bold } else { FontStyle::Normal };
        FontDesc::new(FontFamily::Name(fonts::FAMILY), self.px(size), style)
    }

    fn text_width(&self, text: &str, size: f64, bold: bool) -> f64 {
        let style = TextStyle::from(self.font(size, bold));
        match self.area.estimate_text_size(text, &style) {
            Ok((width, _)) => f64::from(width),
            // Only a missing font fails here, and drawing reports that.
            Err(_) => text.chars().count() as f64 * self.px(size) * 0.6,
        }
    }

    /// `text`, shortened with an ellipsis until it fits `max_width`.
    fn fit(&self, text: &str, size: f64, bold: bool, max_width: f64) -> String {
        if self.text_width(text, size, bold) <= max_width {
            return text.to_string();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let candidate = format!("{}…", chars.iter().collect::<String>().trim_end());
            if self.text_width(&candidate, size, bold) <= max_width {
                return candidate;
            }
        }
        String::new()
    }

    /// Words of `text` in lines no wider than `max_width`.
    fn wrap(&self, text: &str, size: f64, max_width: f64) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if line.is_empty() || self.text_width(&candidate, size, false) <= max_width {
                line = candidate;
            } else {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines.into_iter().map(|line| self.fit(&line, size, false, max_width)).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn text(
        &self,
        text: &str,
        (x, y): (f64, f64),
        size: f64,
        bold: bool,
        colour: RGBColor,
        (h, v): (HPos, VPos),
        vertical: bool,
    ) -> Result<()> {
        let mut font = self.font(size, bold);
        if vertical {
            font = font.transform(FontTransform::Rotate270);
        }
        let style = TextStyle::from(font).color(&colour).pos(Pos::new(h, v));
        self.area.draw_text(text, &style, (x.round() as i32, y.round() as i32)).map_err(draw_error)
    }

    fn fill(&self, rect: Rect, colour: RGBColor) -> Result<()> {
        let corners = [
            (rect.x.round() as i32, rect.y.round() as i32),
            (rect.right().round() as i32, rect.bottom().round() as i32),
        ];
        self.area.draw(&Rectangle::new(corners, colour.filled())).map_err(draw_error)
    }

    fn outline(&self, rect: Rect, colour: RGBColor) -> Result<()> {
        let corners = [
            (rect.x.round() as i32, rect.y.round() as i32),
            (rect.right().round() as i32, rect.bottom().round() as i32),
        ];
        let style = ShapeStyle { color: colour.to_rgba(), filled: false, stroke_width: self.stroke(1.0) };
        self.area.draw(&Rectangle::new(corners, style)).map_err(draw_error)
    }

    fn stroke(&self, width: f64) -> u32 {
        self.px(width).round().max(1.0) as u32
    }

    fn line(&self, points: &[(f64, f64)], colour: RGBColor, width: f64) -> Result<()> {
        let points: Vec<(i32, i32)> =
            points.iter().map(|(x, y)| (x.round() as i32, y.round() as i32)).collect();
        let style = ShapeStyle { color: colour.to_rgba(), filled: false, stroke_width: self.stroke(width) };
        self.area.draw(&PathElement::new(points, style)).map_err(draw_error)
    }

    /// A polyline, solid for variant 0, dashed for 1, dotted beyond, so two series of
    /// one colour stay apart.
    fn styled_line(&self, points: &[(f64, f64)], colour: RGBColor, width: f64, variant: u8) -> Result<()> {
        let (on, off) = match variant {
            0 => return self.line(points, colour, width),
            1 => (self.px(9.0), self.px(5.0)),
            _ => (self.px(2.5), self.px(4.0)),
        };
        let mut dash: Vec<(f64, f64)> = Vec::new();
        let mut drawing = true;
        let mut left = on;
        for pair in points.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            let length = (x1 - x0).hypot(y1 - y0);
            let mut travelled = 0.0;
            while travelled < length {
                let step = left.min(length - travelled);
                let at = |t: f64| (x0 + (x1 - x0) * t / length, y0 + (y1 - y0) * t / length);
                if drawing {
                    if dash.is_empty() {
                        dash.push(at(travelled));
                    }
                    dash.push(at(travelled + step));
                }
                travelled += step;
                left -= step;
                if left <= 0.0 {
                    if drawing {
                        self.line(&std::mem::take(&mut dash), colour, width)?;
                    }
                    drawing = !drawing;
                    left = if drawing { on } else { off };
                }
            }
        }
        if dash.len() > 1 {
            self.line(&dash, colour, width)?;
        }
        Ok(())
    }

    fn dot(&self, (x, y): (f64, f64), radius: f64, colour: RGBColor) -> Result<()> {
        let centre = (x.round() as i32, y.round() as i32);
        let radius = self.px(radius).round().max(1.0) as u32;
        self.area.draw(&Circle::new(centre, radius, colour.filled())).map_err(draw_error)
    }
}

/// Draws `chart` filling `area`, with text and line sizes multiplied by `scale`.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    scale: f64,
) -> Result<Geometry> {
    fonts::ensure_registered()?;
    area.fill(&WHITE).map_err(draw_error)?;
    let painter = Painter { area, scale };
    let (width, height) = area.dim_in_pixel();
    let (w, h) = (f64::from(width), f64::from(height));
    let margin = painter.px(MARGIN);
    let title = painter.fit(&chart.title, TITLE_SIZE, true, w - 2.0 * margin);
    painter.text(&title, (margin, margin), TITLE_SIZE, true, INK, (HPos::Left, VPos::Top), false)?;
    let top = margin + painter.px(TITLE_SIZE * 1.25 + 12.0);
    let line_height = painter.px(CAPTION_SIZE * 1.35);
    let lines = painter.wrap(&chart.caption, CAPTION_SIZE, w - 2.0 * margin);
    let caption_top = h - margin - line_height * lines.len() as f64;
    for (index, line) in lines.iter().enumerate() {
        let y = caption_top + line_height * index as f64;
        painter.text(line, (margin, y), CAPTION_SIZE, false, MUTED_INK, (HPos::Left, VPos::Top), false)?;
    }
    let frame = Rect::from_corners(margin, top, w - margin, (caption_top - painter.px(14.0)).max(top + 1.0));
    let mut geometry = Geometry {
        width,
        height,
        plot: frame,
        columns: Vec::new(),
        rows: Vec::new(),
        series: Vec::new(),
        marks: Vec::new(),
        value_range: None,
    };
    if chart.is_empty() {
        draw_no_data(&painter, frame)?;
        return Ok(geometry);
    }
    match &chart.body {
        Body::Time(time) => draw_time(&painter, chart, time, frame, &mut geometry)?,
        Body::Ranking(bars) => draw_ranking(&painter, chart, bars, frame, &mut geometry)?,
        Body::Matrix(matrix) => draw_matrix(&painter, chart, matrix, frame, &mut geometry)?,
    }
    Ok(geometry)
}

fn draw_no_data<DB: DrawingBackend>(painter: &Painter<DB>, frame: Rect) -> Result<()> {
    painter.outline(frame, GRID)?;
    let centre = (frame.x + frame.width / 2.0, frame.y + frame.height / 2.0);
    let anchor = (HPos::Center, VPos::Center);
    painter.text("No data for these filters", centre, 18.0, true, MUTED_INK, anchor, false)?;
    let hint = (centre.0, centre.1 + painter.px(26.0));
    painter.text(
        "Try a wider date range or fewer filters.",
        hint,
        CAPTION_SIZE,
        false,
        MUTED_INK,
        anchor,
        false,
    )
}

/// A value axis from 0: a round step and the top it reaches.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ValueAxis {
    step: f64,
    top: f64,
}

impl ValueAxis {
    /// About `target` steps of 1, 2, 2.5 or 5 × 10ⁿ up to `max`; whole steps for counts.
    fn new(max: f64, target: f64, whole: bool) -> ValueAxis {
        let max = if max > 0.0 { max } else { 1.0 };
        let raw = max / target.max(1.0);
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|factor| factor * magnitude)
            .filter(|step| !whole || step.fract() == 0.0)
            .find(|step| *step >= raw)
            .unwrap_or(10.0 * magnitude);
        let step = if whole { step.max(1.0) } else { step };
        ValueAxis { step, top: (max / step).ceil() * step }
    }

    fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let count = (self.top / self.step).round() as usize;
        (0..=count).map(move |index| index as f64 * self.step)
    }
}

/// `12,345`, `2.5`, `40%`.
fn format_value(value: f64, percent: bool) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let text = if rounded.fract() == 0.0 {
        let digits = format!("{}", rounded.abs() as u64);
        let mut grouped = String::new();
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        if rounded < 0.0 {
            format!("-{grouped}")
        } else {
            grouped
        }
    } else {
        format!("{rounded:.1}")
    };
    if percent {
        format!("{text}%")
    } else {
        text
    }
}

fn day_after(day: NaiveDate) -> NaiveDate {
    day.checked_add_days(Days::new(1)).unwrap_or(day)
}

fn draw_time<DB: DrawingBackend>(
    painter: &Painter<DB>,
    chart: &Chart,
    time: &TimeSeries,
    frame: Rect,
    geometry: &mut Geometry,
) -> Result<()> {
    let px = |size| painter.px(size);
    let stacked = time.style == TimeStyle::StackedBars;
    let styles = palette::styles(time.series.iter().map(|series| (series.key.as_str(), series.neutral)));
    let colour_of = |index: usize| -> RGBColor {
        let style: SeriesStyle = styles[index];
        if stacked {
            palette::shade(style.colour, style.variant)
        } else {
            style.colour
        }
    };

    // The legend sits right of the plot, one row per series (top of the stack first).
    let swatch = px(34.0);
    let max_label = frame.width * 0.24;
    let labels: Vec<String> =
        time.series.iter().map(|series| painter.fit(&series.label, TICK_SIZE, false, max_label)).collect();
    let label_width =
        labels.iter().map(|label| painter.text_width(label, TICK_SIZE, false)).fold(0.0, f64::max);
    let legend_width = swatch + px(8.0) + label_width;

    let max = (0..time.periods.len())
        .map(|index| {
            let values = time.series.iter().map(|series| series.values[index]);
            if stacked {
                values.sum()
            } else {
                values.fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max);
    let tick_band = px(TICK_SIZE * 1.4 + 8.0);
    let axis_band = px(AXIS_SIZE * 1.4 + 6.0);
    let plot_top = frame.y + px(6.0);
    let plot_bottom = frame.bottom() - tick_band - axis_band;
    let axis = ValueAxis::new(max, ((plot_bottom - plot_top) / px(48.0)).clamp(2.0, 8.0), !time.percent);
    let tick_labels: Vec<(f64, String)> =
        axis.ticks().map(|value| (value, format_value(value, time.percent))).collect();
    let y_label_width =
        tick_labels.iter().map(|(_, label)| painter.text_width(label, TICK_SIZE, false)).fold(0.0, f64::max);
    let plot_left = frame.x + px(AXIS_SIZE * 1.4) + px(8.0) + y_label_width + px(8.0);
    let plot_right = frame.right() - legend_width - px(20.0);
    let plot = Rect::from_corners(plot_left, plot_top, plot_right.max(plot_left + 1.0), plot_bottom);
    geometry.plot = plot;
    geometry.value_range = Some((0.0, axis.top));

    let first = time.periods[0].start;
    let last = time.periods[time.periods.len() - 1].end;
    let days = (day_after(last) - first).num_days().max(1) as f64;
    let x_of = |day: NaiveDate| plot.x + (day - first).num_days() as f64 / days * plot.width;
    let y_of = |value: f64| plot.bottom() - value / axis.top * plot.height;

    for (value, label) in &tick_labels {
        let y = y_of(*value);
        painter.line(&[(plot.x, y), (plot.right(), y)], GRID, 1.0)?;
        let anchor = (HPos::Right, VPos::Center);
        painter.text(label, (plot.x - px(8.0), y), TICK_SIZE, false, MUTED_INK, anchor, false)?;
    }

    let bands: Vec<(f64, f64)> =
        time.periods.iter().map(|period| (x_of(period.start), x_of(day_after(period.end)))).collect();
    draw_date_ticks(painter, time, plot, &bands, &x_of)?;
    painter.line(&[(plot.x, plot.bottom()), (plot.right(), plot.bottom())], AXIS, 1.0)?;
    painter.line(&[(plot.x, plot.y), (plot.x, plot.bottom())], AXIS, 1.0)?;
    let axis_y = plot.bottom() + tick_band + px(2.0);
    let centre = (HPos::Center, VPos::Top);
    painter.text(
        &chart.x_label,
        (plot.x + plot.width / 2.0, axis_y),
        AXIS_SIZE,
        false,
        INK,
        centre,
        false,
    )?;
    let y_axis_at = (frame.x + px(AXIS_SIZE * 0.7), plot.y + plot.height / 2.0);
    painter.text(&chart.y_label, y_axis_at, AXIS_SIZE, false, INK, (HPos::Center, VPos::Center), true)?;

    geometry.columns = time
        .periods
        .iter()
        .zip(&bands)
        .map(|(period, (start, end))| Band {
            key: period.start.to_string(),
            label: time.bucket.label(period.start),
            start: *start,
            end: *end,
        })
        .collect();
    geometry.series = time
        .series
        .iter()
        .enumerate()
        .map(|(index, series)| DrawnSeries {
            key: series.key.clone(),
            label: series.label.clone(),
            colour: palette::hex(colour_of(index)),
        })
        .collect();

    if stacked {
        let gap = |width: f64| if width > px(6.0) { (width * 0.15).min(px(8.0)) } else { 0.0 };
        for (column, (start, end)) in bands.iter().enumerate() {
            let inset = gap(end - start) / 2.0;
            let mut base = 0.0;
            for (index, series) in time.series.iter().enumerate() {
                let value = series.values[column];
                if value <= 0.0 {
                    continue;
                }
                let rect = Rect::from_corners(start + inset, y_of(base + value), end - inset, y_of(base));
                painter.fill(rect, colour_of(index))?;
                if rect.height > px(3.0) && rect.width > px(3.0) {
                    painter.line(&[(rect.x, rect.y), (rect.right(), rect.y)], WHITE, 1.0)?;
                }
                geometry.marks.push(Mark {
                    column: Some(column),
                    row: None,
                    series: Some(index),
                    rect,
                    value,
                });
                base += value;
            }
        }
    } else {
        let band_width = bands.first().map_or(0.0, |(start, end)| end - start);
        let markers = band_width >= px(12.0);
        for (index, series) in time.series.iter().enumerate() {
            let points: Vec<(f64, f64)> = bands
                .iter()
                .zip(&series.values)
                .map(|((start, end), value)| ((start + end) / 2.0, y_of(*value)))
                .collect();
            painter.styled_line(&points, colour_of(index), 2.0, styles[index].variant)?;
            for (column, (point, value)) in points.iter().zip(&series.values).enumerate() {
                if markers || points.len() == 1 {
                    painter.dot(*point, 3.0, colour_of(index))?;
                }
                let (start, end) = bands[column];
                let rect = Rect::from_corners(start, point.1 - px(8.0), end, point.1 + px(8.0));
                geometry.marks.push(Mark {
                    column: Some(column),
                    row: None,
                    series: Some(index),
                    rect,
                    value: *value,
                });
            }
        }
    }

    // Legend rows that do not fit say how many are left out, so nothing vanishes silently.
    let legend_x = plot.right() + px(20.0);
    let rows_fit = ((plot.height / px(LEGEND_ROW)).floor() as usize).max(1);
    let order: Vec<usize> =
        if stacked { (0..time.series.len()).rev().collect() } else { (0..time.series.len()).collect() };
    let shown = if order.len() > rows_fit { rows_fit - 1 } else { order.len() };
    for (row, &index) in order.iter().take(shown).enumerate() {
        let y = plot.y + px(LEGEND_ROW) * (row as f64 + 0.5);
        if stacked {
            let square =
                Rect::from_corners(legend_x + px(6.0), y - px(6.0), legend_x + px(18.0), y + px(6.0));
            painter.fill(square, colour_of(index))?;
        } else {
            let segment = [(legend_x, y), (legend_x + swatch - px(4.0), y)];
            painter.styled_line(&segment, colour_of(index), 2.0, styles[index].variant)?;
            // A dot would hide the gap that tells a dashed line from a solid one.
            if styles[index].variant == 0 {
                painter.dot((legend_x + (swatch - px(4.0)) / 2.0, y), 3.0, colour_of(index))?;
            }
        }
        let at = (legend_x + swatch + px(4.0), y);
        painter.text(&labels[index], at, TICK_SIZE, false, INK, (HPos::Left, VPos::Center), false)?;
    }
    if shown < order.len() {
        let y = plot.y + px(LEGEND_ROW) * (shown as f64 + 0.5);
        let more = format!("+{} more (see CSV)", order.len() - shown);
        painter.text(&more, (legend_x, y), TICK_SIZE, false, MUTED_INK, (HPos::Left, VPos::Center), false)?;
    }
    Ok(())
}

/// Date ticks at the finest calendar interval whose labels do not collide.
fn draw_date_ticks<DB: DrawingBackend>(
    painter: &Painter<DB>,
    time: &TimeSeries,
    plot: Rect,
    bands: &[(f64, f64)],
    x_of: &dyn Fn(NaiveDate) -> f64,
) -> Result<()> {
    let px = |size| painter.px(size);
    let first = time.periods[0].start;
    let last = time.periods[time.periods.len() - 1].end;
    let placed = |step: TickStep| -> Vec<(f64, f64, String, f64)> {
        step.ticks(time.bucket, first, last)
            .into_iter()
            .map(|tick| {
                let x = x_of(tick.date);
                let centre = if tick.names_bucket {
                    let period = time.periods.partition_point(|period: &Period| period.start <= tick.date);
                    bands.get(period.saturating_sub(1)).map_or(x, |(start, end)| (start + end) / 2.0)
                } else {
                    x
                };
                let width = painter.text_width(&tick.label, TICK_SIZE, false);
                (x, centre, tick.label, width)
            })
            .collect()
    };
    let fits = |ticks: &[(f64, f64, String, f64)]| {
        ticks.windows(2).all(|pair| pair[1].1 - pair[0].1 >= (pair[0].3 + pair[1].3) / 2.0 + px(14.0))
    };
    let mut chosen = Vec::new();
    for step in TickStep::candidates(time.bucket) {
        let ticks = placed(step);
        if fits(&ticks) {
            chosen = ticks;
            break;
        }
    }
    if chosen.is_empty() {
        // The range holds no calendar boundary (a few days of a month): name its start.
        let label = first.format("%-d %b %Y").to_string();
        let width = painter.text_width(&label, TICK_SIZE, false);
        chosen.push((plot.x, plot.x + width / 2.0, label, width));
    }
    let label_y = plot.bottom() + px(6.0);
    for (x, centre, label, width) in &chosen {
        if *x > plot.x + 0.5 {
            painter.line(&[(*x, plot.y), (*x, plot.bottom())], GRID, 1.0)?;
        }
        painter.line(&[(*x, plot.bottom()), (*x, plot.bottom() + px(5.0))], AXIS, 1.0)?;
        // Keep edge labels inside the picture.
        let half = width / 2.0;
        let centre = centre.clamp(plot.x - px(30.0) + half, plot.right() + px(30.0) - half);
        painter.text(
            label,
            (centre, label_y),
            TICK_SIZE,
            false,
            MUTED_INK,
            (HPos::Center, VPos::Top),
            false,
        )?;
    }
    Ok(())
}

fn draw_ranking<DB: DrawingBackend>(
    painter: &Painter<DB>,
    chart: &Chart,
    bars: &[RankingBar],
    frame: Rect,
    geometry: &mut Geometry,
) -> Result<()> {
    let px = |size| painter.px(size);
    let tick_band = px(TICK_SIZE * 1.4 + 8.0);
    let axis_band = px(AXIS_SIZE * 1.4 + 6.0);
    let plot_top = frame.y + px(4.0);
    let plot_bottom = frame.bottom() - tick_band - axis_band;
    let band = (plot_bottom - plot_top) / bars.len() as f64;
    // Names shrink with the bars so neighbours never overlap.
    let name_size = (band / painter.scale * 0.7).clamp(7.0, TICK_SIZE);
    let names: Vec<String> =
        bars.iter().map(|bar| painter.fit(&bar.label, name_size, false, frame.width * 0.3)).collect();
    let names_width = names.iter().map(|name| painter.text_width(name, name_size, false)).fold(0.0, f64::max);
    let max = bars.iter().map(|bar| bar.value).fold(0.0, f64::max);
    let value_width = painter.text_width(&format_value(max, false), name_size, false);
    let plot_left = frame.x + names_width + px(12.0);
    let plot_right = frame.right() - value_width - px(12.0);
    let plot = Rect::from_corners(plot_left, plot_top, plot_right.max(plot_left + 1.0), plot_bottom);
    geometry.plot = plot;
    let axis = ValueAxis::new(max, (plot.width / px(90.0)).clamp(2.0, 10.0), true);
    geometry.value_range = Some((0.0, axis.top));
    let x_of = |value: f64| plot.x + value / axis.top * plot.width;

    for value in axis.ticks() {
        let x = x_of(value);
        painter.line(&[(x, plot.y), (x, plot.bottom())], GRID, 1.0)?;
        let at = (x, plot.bottom() + px(6.0));
        painter.text(
            &format_value(value, false),
            at,
            TICK_SIZE,
            false,
            MUTED_INK,
            (HPos::Center, VPos::Top),
            false,
        )?;
    }
    painter.line(&[(plot.x, plot.y), (plot.x, plot.bottom())], AXIS, 1.0)?;
    let styles = palette::styles(bars.iter().map(|bar| (bar.key.as_str(), false)));
    let thickness = (band * 0.7).min(px(36.0));
    for (row, (bar, name)) in bars.iter().zip(&names).enumerate() {
        let centre = plot.y + band * (row as f64 + 0.5);
        let rect =
            Rect::from_corners(plot.x, centre - thickness / 2.0, x_of(bar.value), centre + thickness / 2.0);
        let colour = palette::shade(styles[row].colour, styles[row].variant);
        painter.fill(rect, colour)?;
        painter.text(
            name,
            (plot.x - px(8.0), centre),
            name_size,
            false,
            INK,
            (HPos::Right, VPos::Center),
            false,
        )?;
        let value_at = (rect.right() + px(5.0), centre);
        let value = format_value(bar.value, false);
        painter.text(&value, value_at, name_size, false, MUTED_INK, (HPos::Left, VPos::Center), false)?;
        geometry.rows.push(Band {
            key: bar.key.clone(),
            label: bar.label.clone(),
            start: plot.y + band * row as f64,
            end: plot.y + band * (row as f64 + 1.0),
        });
        geometry.marks.push(Mark { column: None, row: Some(row), series: None, rect, value: bar.value });
        geometry.series.push(DrawnSeries {
            key: bar.key.clone(),
            label: bar.label.clone(),
            colour: palette::hex(colour),
        });
    }
    let axis_y = plot.bottom() + tick_band + px(2.0);
    let centre = (HPos::Center, VPos::Top);
    painter.text(&chart.x_label, (plot.x + plot.width / 2.0, axis_y), AXIS_SIZE, false, INK, centre, false)
}

fn draw_matrix<DB: DrawingBackend>(
    painter: &Painter<DB>,
    chart: &Chart,
    matrix: &Matrix,
    frame: Rect,
    geometry: &mut Geometry,
) -> Result<()> {
    let px = |size| painter.px(size);
    let max = matrix.counts.iter().flatten().copied().fold(0.0, f64::max);
    let legend_width = px(18.0) + px(8.0) + painter.text_width(&format_value(max, false), TICK_SIZE, false);
    let legend_title_width = painter.text_width("Accusations", TICK_SIZE, false);
    let legend_width = legend_width.max(legend_title_width);
    let axis_band = px(AXIS_SIZE * 1.4 + 6.0);
    let row_names: Vec<String> = matrix
        .accusers
        .iter()
        .map(|label| painter.fit(&label.label, TICK_SIZE, false, frame.width * 0.22))
        .collect();
    let rows_width =
        row_names.iter().map(|name| painter.text_width(name, TICK_SIZE, false)).fold(0.0, f64::max);
    let plot_left = frame.x + axis_band + rows_width + px(8.0);
    let plot_right = frame.right() - legend_width - px(24.0);
    let cell_width = (plot_right - plot_left) / matrix.accused.len() as f64;
    // Column names run upwards under their column, shrinking with narrow columns.
    let column_size = (cell_width / painter.scale * 0.75).clamp(7.0, TICK_SIZE);
    let column_names: Vec<String> = matrix
        .accused
        .iter()
        .map(|label| painter.fit(&label.label, column_size, false, frame.height * 0.3))
        .collect();
    let columns_height =
        column_names.iter().map(|name| painter.text_width(name, column_size, false)).fold(0.0, f64::max);
    let plot_top = frame.y + px(4.0);
    let plot_bottom = frame.bottom() - axis_band - columns_height - px(10.0);
    let plot = Rect::from_corners(
        plot_left,
        plot_top,
        plot_right.max(plot_left + 1.0),
        plot_bottom.max(plot_top + 1.0),
    );
    geometry.plot = plot;
    geometry.value_range = Some((0.0, max));
    let cell_height = plot.height / matrix.accusers.len() as f64;
    let row_size = (cell_height / painter.scale * 0.7).clamp(7.0, TICK_SIZE);
    let gap = px(1.0);

    for (row, counts) in matrix.counts.iter().enumerate() {
        let y = plot.y + cell_height * row as f64;
        for (column, &value) in counts.iter().enumerate() {
            let x = plot.x + cell_width * column as f64;
            let rect = Rect::from_corners(x + gap, y + gap, x + cell_width - gap, y + cell_height - gap);
            let colour = if value > 0.0 { palette::sequential(value, max) } else { EMPTY_CELL };
            painter.fill(rect, colour)?;
            let text = format_value(value, false);
            let text_size = row_size.min(column_size);
            if value > 0.0
                && painter.text_width(&text, text_size, false) + px(4.0) <= rect.width
                && px(text_size) <= rect.height
            {
                let ink = if palette::is_dark(colour) { WHITE } else { INK };
                let centre = (rect.x + rect.width / 2.0, rect.y + rect.height / 2.0);
                painter.text(&text, centre, text_size, false, ink, (HPos::Center, VPos::Center), false)?;
            }
            geometry.marks.push(Mark { column: Some(column), row: Some(row), series: None, rect, value });
        }
        let centre = (plot.x - px(8.0), y + cell_height / 2.0);
        painter.text(&row_names[row], centre, row_size, false, INK, (HPos::Right, VPos::Center), false)?;
        let label = &matrix.accusers[row];
        geometry.rows.push(Band {
            key: label.key.clone(),
            label: label.label.clone(),
            start: y,
            end: y + cell_height,
        });
    }
    for (column, name) in column_names.iter().enumerate() {
        let x = plot.x + cell_width * (column as f64 + 0.5);
        let at = (x, plot.bottom() + px(6.0));
        painter.text(name, at, column_size, false, INK, (HPos::Right, VPos::Center), true)?;
        let label = &matrix.accused[column];
        geometry.columns.push(Band {
            key: label.key.clone(),
            label: label.label.clone(),
            start: plot.x + cell_width * column as f64,
            end: plot.x + cell_width * (column as f64 + 1.0),
        });
    }
    let axis_y = plot.bottom() + columns_height + px(12.0);
    let centre = (HPos::Center, VPos::Top);
    painter.text(
        &chart.x_label,
        (plot.x + plot.width / 2.0, axis_y),
        AXIS_SIZE,
        false,
        INK,
        centre,
        false,
    )?;
    let y_axis_at = (frame.x + px(AXIS_SIZE * 0.7), plot.y + plot.height / 2.0);
    painter.text(&chart.y_label, y_axis_at, AXIS_SIZE, false, INK, (HPos::Center, VPos::Center), true)?;

    // Colour key: the scale from 1 (bottom) to the maximum (top).
    let key_x = plot.right() + px(24.0);
    let key_top = plot.y + px(22.0);
    let key_height = (plot.height * 0.6).min(px(220.0)).max(px(40.0));
    painter.text("Accusations", (key_x, plot.y), TICK_SIZE, false, INK, (HPos::Left, VPos::Top), false)?;
    let steps = 24;
    for step in 0..steps {
        let fraction = f64::from(step) / f64::from(steps);
        let y0 = key_top + key_height * (1.0 - fraction - 1.0 / f64::from(steps));
        let value = 1.0 + (max - 1.0) * (fraction + 0.5 / f64::from(steps));
        let rect = Rect::from_corners(key_x, y0, key_x + px(18.0), y0 + key_height / f64::from(steps) + 0.5);
        painter.fill(rect, palette::sequential(value, max))?;
    }
    let label_x = key_x + px(24.0);
    let left = (HPos::Left, VPos::Center);
    painter.text(&format_value(max, false), (label_x, key_top), TICK_SIZE, false, MUTED_INK, left, false)?;
    painter.text("1", (label_x, key_top + key_height), TICK_SIZE, false, MUTED_INK, left, false)?;
    let zero_top = key_top + key_height + px(12.0);
    painter.fill(Rect::from_corners(key_x, zero_top, key_x + px(18.0), zero_top + px(12.0)), EMPTY_CELL)?;
    painter.text("0", (label_x, zero_top + px(6.0)), TICK_SIZE, false, MUTED_INK, left, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_axes_use_round_steps() {
        let check = |max: f64, target: f64, whole: bool, expect: (f64, f64)| {
            let axis = ValueAxis::new(max, target, whole);
            assert_eq!((axis.step, axis.top), expect, "max {max}");
        };
        check(0.0, 5.0, true, (1.0, 1.0));
        check(3.0, 5.0, true, (1.0, 3.0));
        check(97.0, 5.0, true, (20.0, 100.0));
        check(12.0, 5.0, true, (5.0, 15.0));
        check(1234.0, 5.0, true, (250.0, 1250.0));
        check(0.8, 4.0, false, (0.2, 0.8));
    }

    #[test]
    fn values_read_like_numbers() {
        assert_eq!(format_value(1234567.0, false), "1,234,567");
        assert_eq!(format_value(12.0, true), "12%");
        assert_eq!(format_value(2.54, true), "2.5%");
        assert_eq!(format_value(0.0, false), "0");
    }

    #[test]
    fn hits_prefer_the_nearest_mark() {
        let rect = |y: f64| Rect { x: 0.0, y, width: 10.0, height: 16.0 };
        let geometry = Geometry {
            width: 100,
            height: 100,
            plot: Rect { x: 0.0, y: 0.0, width: 50.0, height: 50.0 },
            columns: vec![Band { key: "2024-01-01".into(), label: "2024-01".into(), start: 0.0, end: 10.0 }],
            rows: Vec::new(),
            series: Vec::new(),
            marks: vec![
                Mark { column: Some(0), row: None, series: Some(0), rect: rect(0.0), value: 1.0 },
                Mark { column: Some(0), row: None, series: Some(1), rect: rect(6.0), value: 2.0 },
            ],
            value_range: None,
        };
        assert_eq!(geometry.hit(5.0, 13.0).and_then(|hit| hit.series), Some(1));
        assert_eq!(geometry.hit(5.0, 2.0).and_then(|hit| hit.series), Some(0));
        let empty = geometry.hit(20.0, 40.0).unwrap();
        assert_eq!((empty.column, empty.series), (None, None));
        assert_eq!(geometry.hit(80.0, 80.0), None);
    }
}
