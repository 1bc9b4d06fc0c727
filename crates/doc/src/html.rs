//! Reads `.html`/`.htm` pages: the visible text, the title, and what the page's
//! `<meta>`/`<link>` tags state.
//!
//! Text: the contents of `head`, `script`, `style`, `noscript`, `template`, `nav`,
//! `header`, `footer`, `aside`, `form` and `svg` are dropped as page furniture; block
//! elements break lines (paragraph-like ones leave a blank line) so paragraphs stay
//! separate; runs of whitespace inside a block become one space (except in `pre`); there
//! is never more than one blank line in a row.
//!
//! Metadata: title from `<title>`, else the first `<h1>` outside the dropped parts; date
//! from `article:published_time` (or `datePublished`, `date`); url from the canonical
//! link or `og:url`; outlet from `og:site_name`; `author` as a speaker of last resort.
//!
//! The tree is walked with an explicit edge iterator, never by recursion, so a page
//! nested 100,000 levels deep cannot overflow the stack; nesting beyond 512 levels is
//! flattened before parsing (see `html_depth`) so such a page is also read quickly.
//!
//! The bytes are decoded by the same rules as plain text (BOM, UTF-8, Windows-1252); a
//! `<meta charset>` naming another encoding is not honoured.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use crate::{decode, html_depth, require_text, Extracted, MetaSource, Metadata, ReadError, Sourced};

/// Elements whose contents are never statement text.
const DROPPED: &[&str] =
    &["head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg"];

/// Elements that start a new paragraph: a blank line before and after.
const PARAGRAPHS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "section",
    "article",
    "table",
    "ul",
    "ol",
    "dl",
    "figure",
    "hr",
    "address",
    "main",
];

/// Elements that start a new line.
const LINES: &[&str] = &[
    "div",
    "li",
    "tr",
    "dt",
    "dd",
    "caption",
    "figcaption",
    "details",
    "summary",
    "dialog",
    "fieldset",
    "legend",
    "center",
    "body",
    "html",
    "option",
];

/// Elements whose cells sit side by side on a line.
const CELLS: &[&str] = &["td", "th"];

/// Reads an HTML file.
pub(crate) fn read(bytes: &[u8]) -> Result<Extracted, ReadError> {
    let (source, encoding) = decode::decode(bytes)?;
    let source = html_depth::flatten(&source, |name| PARAGRAPHS.contains(&name) || LINES.contains(&name));
    let walk = walk(&Html::parse_document(&source));
    let text = require_text(walk.text.finish())?;
    let mut stated = Metadata::default();
    let title = walk.title.as_deref().map(collapse).filter(|title| !title.is_empty());
    let heading = walk.heading.as_deref().map(collapse).filter(|heading| !heading.is_empty());
    stated.title = title
        .map(|title| Sourced::new(title, MetaSource::HtmlTitle))
        .or_else(|| heading.map(|heading| Sourced::new(heading, MetaSource::HtmlHeading)));
    stated.date = walk
        .published
        .as_deref()
        .and_then(crate::dates::parse_value)
        .map(|date| Sourced::new(date, MetaSource::DocumentProperties));
    let properties = |value: Option<String>| {
        value
            .map(|value| collapse(&value))
            .filter(|value| !value.is_empty())
            .map(|value| Sourced::new(value, MetaSource::DocumentProperties))
    };
    stated.url = properties(walk.canonical.or(walk.og_url));
    stated.source = properties(walk.site_name);
    Ok(Extracted { encoding: Some(encoding), text, stated, author: walk.author })
}

/// Walks the page's tree in document order with an explicit iterator over open and
/// close edges: no recursion, whatever the depth.
fn walk(page: &Html) -> Walk {
    let mut walk = Walk::default();
    for edge in page.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => walk.open(element),
                Node::Text(text) => walk.text(text),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value() {
                    walk.close(element);
                }
            }
        }
    }
    walk
}

/// The state of the walk over the page's tree.
#[derive(Default)]
struct Walk {
    text: TextBuilder,
    /// How many dropped elements enclose the current node.
    dropped: usize,
    /// How many `svg` elements enclose the current node; an SVG `<title>` is not the
    /// page's title.
    svg: usize,
    pre: usize,
    title: Option<String>,
    in_title: bool,
    heading: Option<String>,
    in_heading: bool,
    published: Option<String>,
    canonical: Option<String>,
    og_url: Option<String>,
    site_name: Option<String>,
    author: Option<String>,
}

impl Walk {
    fn open(&mut self, element: &scraper::node::Element) {
        let name = element.name();
        match name {
            "title" if self.svg == 0 && self.title.is_none() => {
                self.in_title = true;
                self.title = Some(String::new());
            }
            "h1" if self.dropped == 0 && self.heading.is_none() => {
                self.in_heading = true;
                self.heading = Some(String::new());
            }
            "meta" => self.meta(element),
            "link" => {
                let rel = element.attr("rel").unwrap_or_default();
                if rel.split_ascii_whitespace().any(|word| word.eq_ignore_ascii_case("canonical"))
                    && self.canonical.is_none()
                {
                    self.canonical = element.attr("href").map(str::to_string);
                }
            }
            _ => {}
        }
        if name == "svg" {
            self.svg += 1;
        }
        if DROPPED.contains(&name) {
            self.dropped += 1;
        }
        if self.dropped > 0 {
            return;
        }
        if name == "pre" {
            self.pre += 1;
        }
        self.text.element(name);
    }

    fn close(&mut self, element: &scraper::node::Element) {
        let name = element.name();
        match name {
            "title" if self.in_title => self.in_title = false,
            "h1" if self.in_heading => self.in_heading = false,
            _ => {}
        }
        if name == "svg" {
            self.svg = self.svg.saturating_sub(1);
        }
        if DROPPED.contains(&name) {
            self.dropped = self.dropped.saturating_sub(1);
            return;
        }
        if self.dropped > 0 {
            return;
        }
        if name == "pre" {
            self.pre = self.pre.saturating_sub(1);
        }
        // A `br` is a single break, already made when it opened.
        if name != "br" {
            self.text.element(name);
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_title {
            if let Some(title) = &mut self.title {
                title.push_str(text);
            }
        }
        if self.dropped > 0 {
            return;
        }
        if self.in_heading {
            if let Some(heading) = &mut self.heading {
                heading.push_str(text);
            }
        }
        self.text.push(text, self.pre > 0);
    }

    /// Records what a `<meta>` tag states, the first of each kind winning.
    fn meta(&mut self, element: &scraper::node::Element) {
        let key =
            element.attr("property").or_else(|| element.attr("name")).or_else(|| element.attr("itemprop"));
        let (Some(key), Some(content)) = (key, element.attr("content").or_else(|| element.attr("datetime")))
        else {
            return;
        };
        let slot = match key.to_ascii_lowercase().as_str() {
            "article:published_time" | "datepublished" | "date" => &mut self.published,
            "og:url" => &mut self.og_url,
            "og:site_name" => &mut self.site_name,
            "author" => &mut self.author,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(content.to_string());
        }
    }
}

/// Builds the visible text: whitespace collapsed, breaks requested by elements merged.
#[derive(Default)]
struct TextBuilder {
    out: String,
    /// Line breaks wanted before the next text: 1 for a new line, 2 for a blank line.
    pending_break: usize,
    pending_space: bool,
}

impl TextBuilder {
    /// Notes the start or end of an element: a break or a cell separator.
    fn element(&mut self, name: &str) {
        if name == "br" {
            // A `br` breaks the line at once, so that several in a row leave a blank
            // line (never more, as with every other break).
            self.flush_break();
            let present = self.out.len() - self.out.trim_end_matches('\n').len();
            if !self.out.is_empty() && present < 2 {
                self.out.push('\n');
            }
            self.pending_space = false;
        } else if PARAGRAPHS.contains(&name) {
            self.pending_break = 2;
        } else if LINES.contains(&name) {
            self.pending_break = self.pending_break.max(1);
        } else if CELLS.contains(&name) {
            self.pending_space = true;
        }
    }

    fn push(&mut self, text: &str, preformatted: bool) {
        if preformatted {
            if !text.is_empty() {
                self.flush_break();
                self.out.push_str(text);
                self.pending_space = false;
            }
            return;
        }
        if text.starts_with(char::is_whitespace) {
            self.pending_space = true;
        }
        for word in text.split_whitespace() {
            self.flush_break();
            let line_started = !self.out.is_empty() && !self.out.ends_with('\n');
            if self.pending_space && line_started {
                self.out.push(' ');
            }
            self.out.push_str(word);
            self.pending_space = true;
        }
        // Text that ends in a word joins the next text directly ("word<b>s</b>").
        if !text.ends_with(char::is_whitespace) && !text.trim().is_empty() {
            self.pending_space = false;
        }
    }

    /// Writes the requested line breaks, if any text came before them.
    fn flush_break(&mut self) {
        if self.pending_break == 0 {
            return;
        }
        if !self.out.is_empty() {
            let trimmed = self.out.trim_end_matches([' ', '\t']).len();
            self.out.truncate(trimmed);
            let present = self.out.len() - self.out.trim_end_matches('\n').len();
            for _ in present..self.pending_break {
                self.out.push('\n');
            }
        }
        self.pending_break = 0;
        self.pending_space = false;
    }

    /// The text without trailing spaces on lines or more than one blank line in a row.
    fn finish(self) -> String {
        let mut text = String::with_capacity(self.out.len());
        let mut blank_lines = 0;
        for line in self.out.trim().lines() {
            let line = line.trim_end();
            if line.is_empty() {
                blank_lines += 1;
                if blank_lines > 1 {
                    continue;
                }
            } else {
                blank_lines = 0;
            }
            text.push_str(line);
            text.push('\n');
        }
        text.truncate(text.trim_end().len());
        text
    }
}

/// Whitespace runs as single spaces, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::Encoding;

    fn check(input: &str, expected_text: &str, expected_meta: Metadata) {
        let extracted = read(input.as_bytes()).expect("readable HTML");
        assert_eq!(extracted.text, expected_text, "{input:?}");
        assert_eq!(extracted.stated, expected_meta, "{input:?}");
        assert_eq!(extracted.encoding, Some(Encoding::Utf8));
    }

    fn title(value: &str, source: MetaSource) -> Option<Sourced<String>> {
        Some(Sourced::new(value.to_string(), source))
    }

    #[test]
    fn visible_text_only() {
        check(
            "<!doctype html><html><head><title> Statement \n on  Paris </title><style>p{color:red}</style>\
             <script>var x = 'hidden';</script></head><body><nav>Home | News</nav><header>Site</header>\
             <h1>Heading</h1><p>First   paragraph\n with <b>bold</b> text.</p><p>Second<br>line two</p>\
             <aside>Related</aside><form>Search</form><noscript>Enable JS</noscript><template>T</template>\
             <svg><title>icon</title><text>svg text</text></svg><footer>© Site</footer></body></html>",
            "Heading\n\nFirst paragraph with bold text.\n\nSecond\nline two",
            Metadata { title: title("Statement on Paris", MetaSource::HtmlTitle), ..Metadata::default() },
        );
    }

    #[test]
    fn blocks_and_spacing() {
        check("<div>one</div><div>two</div>", "one\ntwo", Metadata::default());
        check(
            "<p>one</p>\n\n\n<p>two</p><div><div><p>three</p></div></div>",
            "one\n\ntwo\n\nthree",
            Metadata::default(),
        );
        check("<ul><li>a</li><li>b <i>c</i></li></ul>", "a\nb c", Metadata::default());
        check(
            "<table><tr><td>x</td><td>y</td></tr><tr><td>z</td></tr></table>",
            "x y\nz",
            Metadata::default(),
        );
        check("<p>a<br><br><br><br>b</p>", "a\n\nb", Metadata::default());
        check("<pre>  keep\n    this</pre><p>x  y</p>", "keep\n    this\n\nx y", Metadata::default());
        check("<p>word<span>joined</span> and&nbsp;spaced</p>", "wordjoined and spaced", Metadata::default());
        check("<blockquote>q</blockquote>after", "q\n\nafter", Metadata::default());
    }

    #[test]
    fn title_from_first_heading_without_title() {
        check(
            "<header><h1>Site name</h1></header><h1>Real  heading</h1><h1>Other</h1><p>x</p>",
            "Real heading\n\nOther\n\nx",
            Metadata { title: title("Real heading", MetaSource::HtmlHeading), ..Metadata::default() },
        );
        check("<title> </title><p>x</p>", "x", Metadata::default());
    }

    #[test]
    fn meta_tags() {
        let page =
            "<html><head><meta property=\"article:published_time\" content=\"2022-10-14T09:00:00+04:00\">\
                    <meta property=\"og:url\" content=\"https://example.org/og\">\
                    <link rel=\"canonical\" href=\"https://example.org/canonical\">\
                    <meta property=\"og:site_name\" content=\"Example News\">\
                    <meta name=\"author\" content=\"Jane Writer\"></head><body><p>x</p></body></html>";
        let extracted = read(page.as_bytes()).expect("readable HTML");
        let properties = |value: &str| Some(Sourced::new(value.to_string(), MetaSource::DocumentProperties));
        assert_eq!(
            extracted.stated,
            Metadata {
                date: Some(Sourced::new(
                    NaiveDate::from_ymd_opt(2022, 10, 14).expect("date"),
                    MetaSource::DocumentProperties
                )),
                url: properties("https://example.org/canonical"),
                source: properties("Example News"),
                ..Metadata::default()
            }
        );
        assert_eq!(extracted.author.as_deref(), Some("Jane Writer"));
        let og_only = read(b"<meta property='og:url' content='https://example.org/og'><p>x</p>")
            .expect("readable HTML");
        assert_eq!(og_only.stated.url.map(|url| url.value).as_deref(), Some("https://example.org/og"));
    }

    #[test]
    fn pages_without_text() {
        assert_eq!(
            read(b"<html><head><title>T</title></head><body> <script>x()</script> </body></html>").err(),
            Some(ReadError::NoText)
        );
        assert_eq!(read(b"").err(), Some(ReadError::Empty));
        assert_eq!(read(b"<p>\x00\x01\x02</p>").err(), Some(ReadError::Binary));
    }

    #[test]
    fn windows_1252_page() {
        let extracted = read(b"<p>\x93Caf\xE9\x94</p>").expect("readable HTML");
        assert_eq!((extracted.text.as_str(), extracted.encoding), ("“Café”", Some(Encoding::Windows1252)));
    }

    fn nested(open: &str, close: &str, depth: usize) -> String {
        format!("<title>Deep</title>{}bottom text{}<p>after</p>", open.repeat(depth), close.repeat(depth))
    }

    #[test]
    fn deeply_nested_page_does_not_overflow_the_stack() {
        // The walk itself, over a tree really 100,000 levels deep (spans, which the
        // parser nests in linear time).
        let page = Html::parse_document(&nested("<span>", "</span>", 100_000));
        assert_eq!(walk(&page).text.finish(), "bottom text\n\nafter");
        // The whole reader, with divs, which it flattens to keep parsing fast.
        let started = std::time::Instant::now();
        let extracted = read(nested("<div>", "</div>", 100_000).as_bytes()).expect("readable HTML");
        assert_eq!(extracted.text, "bottom text\n\nafter");
        assert_eq!(extracted.stated.title, title("Deep", MetaSource::HtmlTitle));
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    }
}
