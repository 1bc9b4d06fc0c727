//! The embedded font (DejaVu Sans, regular and bold), so charts look the same on every
//! machine and never depend on the fonts installed there.

use std::sync::{Arc, OnceLock};

use plotters::style::{register_font, FontStyle};
use resvg::usvg;

use crate::{ChartError, Result};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// The family the charts name. Registering DejaVu under the generic name keeps SVG
/// files portable: a viewer without DejaVu falls back to its own sans-serif.
pub(crate) const FAMILY: &str = "sans-serif";
const DEJAVU: &str = "DejaVu Sans";

/// Registers the font with plotters once per process.
pub(crate) fn ensure_registered() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, REGULAR).is_ok()
            && register_font(FAMILY, FontStyle::Bold, BOLD).is_ok()
    });
    ok.then_some(()).ok_or(ChartError::Font)
}

/// A font database holding only the embedded font, as the generic sans-serif family,
/// so rasterising and PDF conversion use exactly the font the chart was laid out with.
/// Built once: parsing the font files costs more than drawing a chart.
pub(crate) fn font_database() -> Arc<usvg::fontdb::Database> {
    static DATABASE: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DATABASE
        .get_or_init(|| {
            let mut database = usvg::fontdb::Database::new();
            database.load_font_data(REGULAR.to_vec());
            database.load_font_data(BOLD.to_vec());
            database.set_sans_serif_family(DEJAVU);
            Arc::new(database)
        })
        .clone()
}
