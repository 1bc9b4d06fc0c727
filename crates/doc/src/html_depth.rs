//! Flattens absurdly deep HTML before it is parsed.
//!
//! The HTML parser (html5ever) checks "is there an open `p` in scope?" for every block
//! start tag by scanning the whole stack of open elements, so a page with 100,000 nested
//! `div`s takes time quadratic in its depth: a minute for one small file. Browsers avoid
//! this by capping the tree depth (Chromium at 512); this does the same on the source
//! text: start tags beyond depth 512 are left out, with their end tags, and a block
//! element left out becomes a `<br>` so its text still starts a new line. The text is
//! kept. Pages shallower than the cap, which is every real page, are passed through
//! untouched, and a page with fewer than 512 `<` cannot be deeper, so most pages are not
//! even scanned.
//!
//! The scan is a light tokenizer, not a parser: it knows comments, quoted attribute
//! values, void elements and raw-text elements (`script`, `style`…), which is all it needs
//! to follow nesting well enough for a depth cap.

use std::borrow::Cow;

/// The deepest nesting passed to the parser.
const MAX_DEPTH: usize = 512;

/// Elements that never have contents or an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
    "wbr",
];

/// Elements whose contents are text up to their end tag, never elements.
const RAW_TEXT: &[&str] =
    &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"];

/// `source` with nesting deeper than [`MAX_DEPTH`] flattened; borrowed when unchanged.
pub(crate) fn flatten(source: &str, is_block: impl Fn(&str) -> bool) -> Cow<'_, str> {
    if source.bytes().filter(|&b| b == b'<').count() <= MAX_DEPTH {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut open: Vec<String> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    let mut rest = source;
    let mut changed = false;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let Some(tag) = Tag::parse(rest) else {
            // A `<` that starts no tag is text.
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        let (markup, after) = rest.split_at(tag.length);
        rest = after;
        match tag.kind {
            Kind::Other => out.push_str(markup),
            Kind::End => {
                if left_out.last() == Some(&tag.name) {
                    left_out.pop();
                    changed = true;
                    continue;
                }
                if let Some(position) = open.iter().rposition(|name| *name == tag.name) {
                    open.truncate(position);
                }
                out.push_str(markup);
            }
            Kind::Start if tag.self_closing || VOID.contains(&tag.name.as_str()) => out.push_str(markup),
            Kind::Start if RAW_TEXT.contains(&tag.name.as_str()) => {
                // The contents up to the end tag go through as they are.
                out.push_str(markup);
                let end = find_end_tag(rest, &tag.name).unwrap_or(rest.len());
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            Kind::Start if open.len() >= MAX_DEPTH => {
                if is_block(&tag.name) {
                    out.push_str("<br>");
                }
                left_out.push(tag.name);
                changed = true;
            }
            Kind::Start => {
                out.push_str(markup);
                open.push(tag.name);
            }
        }
    }
    out.push_str(rest);
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(source)
    }
}

enum Kind {
    Start,
    End,
    /// A comment, doctype or processing instruction.
    Other,
}

struct Tag {
    kind: Kind,
    /// The lower-case element name.
    name: String,
    self_closing: bool,
    /// The length of the markup in bytes, up to and including its `>`.
    length: usize,
}

impl Tag {
    /// The tag at the start of `text` (which starts with `<`), if one starts there.
    fn parse(text: &str) -> Option<Tag> {
        let other =
            |length: usize| Some(Tag { kind: Kind::Other, name: String::new(), self_closing: false, length });
        if let Some(comment) = text.strip_prefix("<!--") {
            return other(comment.find("-->").map_or(text.len(), |end| 4 + end + 3));
        }
        if text.starts_with("<!") || text.starts_with("<?") {
            return other(text.find('>').map_or(text.len(), |end| end + 1));
        }
        let (kind, name_start) = if text.starts_with("</") { (Kind::End, 2) } else { (Kind::Start, 1) };
        let after = &text[name_start..];
        if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let name_length =
            after.find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>').unwrap_or(after.len());
        let name = after[..name_length].to_ascii_lowercase();
        // The tag ends at the first `>` outside a quoted attribute value.
        let mut quote: Option<char> = None;
        let mut end = None;
        for (index, c) in after.char_indices().skip(name_length) {
            match (quote, c) {
                (Some(open), c) if c == open => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    end = Some(index);
                    break;
                }
                _ => {}
            }
        }
        match end {
            Some(end) => Some(Tag {
                kind,
                name,
                self_closing: after[..end].ends_with('/'),
                length: name_start + end + 1,
            }),
            // An unterminated tag takes the rest of the text, as it does for the parser.
            None => Some(Tag { kind, name, self_closing: false, length: text.len() }),
        }
    }
}

/// Where the end tag `</name` starts in `text`, any letter case.
fn find_end_tag(text: &str, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = text[from..].find("</") {
        let at = from + offset;
        let candidate = bytes.get(at + 2..at + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_block(name: &str) -> bool {
        name == "div"
    }

    fn nested(open: &str, close: &str, depth: usize, inner: &str) -> String {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
    }

    fn check(input: &str, expected: &str) {
        assert_eq!(flatten(input, is_block), expected, "{input:?}");
    }

    #[test]
    fn shallow_pages_are_untouched() {
        let page = nested("<div>", "</div>", MAX_DEPTH, "x");
        assert!(matches!(flatten(&page, is_block), Cow::Borrowed(_)));
        let many_siblings = "<p>a</p>".repeat(5_000);
        assert!(matches!(flatten(&many_siblings, is_block), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_capped() {
        let expected =
            format!("{}{}x{}", "<div>".repeat(MAX_DEPTH), "<br>".repeat(3), "</div>".repeat(MAX_DEPTH));
        check(&nested("<div>", "</div>", MAX_DEPTH + 3, "x"), &expected);
        let expected = format!("{}x{}", "<span>".repeat(MAX_DEPTH), "</span>".repeat(MAX_DEPTH));
        check(&nested("<span>", "</span>", MAX_DEPTH + 3, "x"), &expected);
    }

    #[test]
    fn the_scan_knows_enough_html() {
        let deep = "<span>".repeat(MAX_DEPTH);
        // Void and self-closing elements, comments, quoted `>` and raw text add no depth.
        check(
            &format!("{deep}<br><img src=\"a>b\"/><!-- <b> --><script>if (a <b) {{}}</script><b>x</b><i>y"),
            &format!("{deep}<br><img src=\"a>b\"/><!-- <b> --><script>if (a <b) {{}}</script>xy"),
        );
        // A `<` that starts no tag is text; an unterminated tag runs to the end.
        check(&format!("{deep}a < b <3 <i title='x"), &format!("{deep}a < b <3 "));
        check(&format!("{deep}a <i title='é"), &format!("{deep}a "));
    }
}
