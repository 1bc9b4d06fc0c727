//! Exports: SVG (text kept as text), PNG (any size, 1× to 4× for print) and PDF
//! (vector), both made from that same SVG so every format shows the same picture, and
//! CSV (exactly the series drawn). Every file carries
//! its provenance: PNG iTXt chunks, SVG `<title>` and `<desc>`, PDF document
//! information, CSV header comments.

use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use plotters::prelude::*;
use resvg::{tiny_skia, usvg};
use rusqlite::Connection;

use crate::bucket::Period;
use crate::filters::format_day;
use crate::query::Chart;
use crate::render::{draw, Geometry};
use crate::{csv, fonts, ChartError, Result, VERSION};

/// A chart file format, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Png,
    Svg,
    Pdf,
    Csv,
}

impl Format {
    /// The format named by `path`'s extension (case-insensitive).
    pub fn from_path(path: &Path) -> Result<Format> {
        let extension = path.extension().and_then(|extension| extension.to_str()).unwrap_or_default();
        match extension.to_ascii_lowercase().as_str() {
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            "pdf" => Ok(Format::Pdf),
            "csv" => Ok(Format::Csv),
            _ => Err(ChartError::InvalidValue {
                what: "output file name",
                value: path.display().to_string(),
                expected: "a name ending in .png, .svg, .pdf or .csv",
            }),
        }
    }
}

/// The size of a drawing in pixels at scale 1 (also the PDF page size in points and
/// the SVG size), and the PNG scale: 2 or 3 draws the same layout with that many
/// times the pixels, for print.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderSize {
    pub width: u32,
    pub height: u32,
    pub scale: f64,
}

impl Default for RenderSize {
    fn default() -> RenderSize {
        RenderSize { width: 1200, height: 700, scale: 1.0 }
    }
}

impl RenderSize {
    /// Refuses sizes no screen or page needs, before anything is drawn.
    pub fn check(&self) -> Result<()> {
        let invalid = |what, value: String, expected| Err(ChartError::InvalidValue { what, value, expected });
        if !(320..=8000).contains(&self.width) {
            return invalid("width", self.width.to_string(), "320 to 8000 pixels");
        }
        if !(200..=8000).contains(&self.height) {
            return invalid("height", self.height.to_string(), "200 to 8000 pixels");
        }
        if !(self.scale.is_finite() && (1.0..=4.0).contains(&self.scale)) {
            return invalid("scale", self.scale.to_string(), "a number from 1 to 4");
        }
        Ok(())
    }

    fn scaled(&self, scale: f64) -> (u32, u32) {
        ((f64::from(self.width) * scale).round() as u32, (f64::from(self.height) * scale).round() as u32)
    }
}

/// Where a chart file comes from: written into every export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub title: String,
    /// The caption: date range and filters in words.
    pub filters: String,
    pub range: Option<Period>,
    /// Current statements in the database when the chart was drawn.
    pub statements: i64,
    /// "Démarche x.y.z".
    pub software: String,
    pub exported_at: DateTime<Utc>,
}

impl Provenance {
    /// The provenance of `chart`, read from `conn` now.
    pub fn collect(conn: &Connection, chart: &Chart) -> Result<Provenance> {
        // The monthly counts hold one `*` statement per current statement with a date, so
        // only the dateless ones are counted row by row. Counting every current statement
        // took a sixth of a chart's time at a million statements.
        let statements = conn.query_row(
            "SELECT (SELECT coalesce(sum(count), 0) FROM monthly_counts WHERE measure = 'statements' AND country = '*')
                  + (SELECT count(*) FROM statements WHERE superseded_at IS NULL AND date IS NULL)",
            [],
            |row| row.get(0),
        )?;
        Ok(Provenance {
            title: chart.title.clone(),
            filters: chart.caption.clone(),
            range: chart.range,
            statements,
            software: format!("Démarche {VERSION}"),
            exported_at: Utc::now(),
        })
    }

    /// Named fields, in the order files list them.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let range = self.range.map_or_else(
            || "none".to_string(),
            |period| {
                format!(
                    "{} to {} ({} to {})",
                    period.start,
                    period.end,
                    format_day(period.start),
                    format_day(period.end)
                )
            },
        );
        vec![
            ("Title", self.title.clone()),
            ("Filters", self.filters.clone()),
            ("Date range", range),
            ("Statements in database", self.statements.to_string()),
            ("Software", self.software.clone()),
            ("Exported", self.exported_at.to_rfc3339_opts(SecondsFormat::Secs, true)),
        ]
    }

    /// The fields as `Name: value` lines.
    pub fn text(&self) -> String {
        self.fields().iter().map(|(name, value)| format!("{name}: {value}")).collect::<Vec<_>>().join("\n")
    }
}

/// An exported file's bytes, and the geometry of the drawing (none for CSV).
#[derive(Debug, Clone)]
pub struct Exported {
    pub bytes: Vec<u8>,
    pub geometry: Option<Geometry>,
}

/// Writes `chart` in `format`, carrying `provenance`.
pub fn export(chart: &Chart, provenance: &Provenance, format: Format, size: RenderSize) -> Result<Exported> {
    size.check()?;
    match format {
        Format::Csv => Ok(Exported { bytes: csv::write(chart, provenance).into_bytes(), geometry: None }),
        Format::Svg => {
            let (svg, geometry) = render_svg(chart, size)?;
            Ok(Exported {
                bytes: with_svg_provenance(&svg, provenance).into_bytes(),
                geometry: Some(geometry),
            })
        }
        Format::Png => png(chart, provenance, size),
        Format::Pdf => pdf(chart, provenance, size),
    }
}

/// The chart as SVG at `size` (scale ignored: SVG is vector), for the app to show.
pub fn render_svg(chart: &Chart, size: RenderSize) -> Result<(String, Geometry)> {
    size.check()?;
    draw_svg(chart, (size.width, size.height), 1.0)
}

/// Draws with plotters' SVG backend, text and lines `scale` times their normal size.
fn draw_svg(chart: &Chart, pixels: (u32, u32), scale: f64) -> Result<(String, Geometry)> {
    let mut svg = String::new();
    let geometry = {
        let area = SVGBackend::with_string(&mut svg, pixels).into_drawing_area();
        let geometry = draw(&area, chart, scale)?;
        area.present().map_err(|error| ChartError::Draw(error.to_string()))?;
        geometry
    };
    Ok((svg, geometry))
}

/// Parses our own SVG with the embedded font as the only font.
fn svg_tree(svg: &str) -> std::result::Result<usvg::Tree, usvg::Error> {
    let options = usvg::Options {
        font_family: "DejaVu Sans".to_string(),
        fontdb: fonts::font_database(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options)
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Puts `<title>` and `<desc>` first inside the root element, where SVG readers look.
fn with_svg_provenance(svg: &str, provenance: &Provenance) -> String {
    let elements = format!(
        "\n<title>{}</title>\n<desc>{}</desc>",
        xml_escape(&provenance.title),
        xml_escape(&provenance.text())
    );
    let root_end = svg.find("<svg").and_then(|start| svg[start..].find('>').map(|end| start + end + 1));
    match root_end {
        Some(at) => format!("{}{elements}{}", &svg[..at], &svg[at..]),
        None => svg.to_string(),
    }
}

fn png(chart: &Chart, provenance: &Provenance, size: RenderSize) -> Result<Exported> {
    // Rasterising the SVG (resvg) rather than drawing on plotters' bitmap backend gives
    // antialiased lines and properly placed glyphs; the layout is drawn at the final
    // pixel size, so the geometry is already in PNG pixels.
    let (width, height) = size.scaled(size.scale);
    let (svg, geometry) = draw_svg(chart, (width, height), size.scale)?;
    let tree = svg_tree(&svg).map_err(|error| ChartError::Draw(error.to_string()))?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| ChartError::Draw(format!("cannot allocate {width}×{height} pixels")))?;
    resvg::render(&tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    // The chart paints a white background everywhere, so every pixel is opaque and its
    // premultiplied colour is its colour.
    let pixels: Vec<u8> =
        pixmap.data().chunks_exact(4).flat_map(|pixel| [pixel[0], pixel[1], pixel[2]]).collect();
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // Deflating took a third of a PNG export at the default level; the fast level
        // (fdeflate, tuned for PNG) takes a fraction of that, for a file a little larger
        // on charts' large flat areas.
        encoder.set_compression(png::Compression::Fast);
        // 96 dpi times the scale, so a 2× image prints at the size of the 1× one.
        let per_metre = (96.0 / 0.0254 * size.scale).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        encoder.add_itxt_chunk("Title".into(), provenance.title.clone())?;
        encoder.add_itxt_chunk("Description".into(), provenance.text())?;
        encoder.add_itxt_chunk("Software".into(), provenance.software.clone())?;
        let created = provenance.exported_at.to_rfc3339_opts(SecondsFormat::Secs, true);
        encoder.add_itxt_chunk("Creation Time".into(), created)?;
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
        writer.finish()?;
    }
    Ok(Exported { bytes, geometry: Some(geometry) })
}

fn pdf(chart: &Chart, provenance: &Provenance, size: RenderSize) -> Result<Exported> {
    let (svg, geometry) = draw_svg(chart, (size.width, size.height), 1.0)?;
    let tree = svg_tree(&svg).map_err(|error| ChartError::Pdf(error.to_string()))?;
    let pdf = svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), svg2pdf::PageOptions::default())
        .map_err(|error| ChartError::Pdf(error.to_string()))?;
    Ok(Exported { bytes: with_pdf_provenance(&pdf, provenance)?, geometry: Some(geometry) })
}

/// Rewrites the document information dictionary (svg2pdf writes only its producer).
fn with_pdf_provenance(pdf: &[u8], provenance: &Provenance) -> Result<Vec<u8>> {
    let pdf_error = |error: lopdf::Error| ChartError::Pdf(error.to_string());
    let mut document = lopdf::Document::load_mem(pdf).map_err(pdf_error)?;
    let mut info = lopdf::Dictionary::new();
    info.set("Title", lopdf::text_string(&provenance.title));
    info.set("Subject", lopdf::text_string(&provenance.filters));
    info.set("Keywords", lopdf::text_string(&provenance.text().replace('\n', "; ")));
    info.set("Creator", lopdf::text_string(&provenance.software));
    info.set("Producer", lopdf::text_string(&format!("{} (plotters, svg2pdf)", provenance.software)));
    let date = provenance.exported_at.format("D:%Y%m%d%H%M%SZ").to_string();
    info.set("CreationDate", lopdf::Object::string_literal(date));
    let existing = document.trailer.get(b"Info").and_then(lopdf::Object::as_reference).ok();
    match existing {
        Some(id) => *document.get_object_mut(id).map_err(pdf_error)? = lopdf::Object::Dictionary(info),
        None => {
            let id = document.add_object(info);
            document.trailer.set("Info", id);
        }
    }
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).map_err(|error| ChartError::Pdf(error.to_string()))?;
    Ok(bytes)
}
