//! A certificate as a one-page PDF (A4 landscape), drawn with krilla. The font is DejaVu
//! Serif, committed under `assets/fonts/` and built into the binary, so any name prints and
//! nothing is fetched; krilla embeds the subset the page uses.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

use super::CertificateView;
use crate::{App, AppError, AppResult, Caller};

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif.ttf");

/// A4 landscape, in points.
const WIDTH: f32 = 842.0;
const HEIGHT: f32 = 595.0;
const MARGIN: f32 = 72.0;

/// Lines of at most `width` characters, broken between words.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The PDF of a certificate; `verify_url` is printed so a reader can check it.
pub fn render(
    cert: &CertificateView,
    dates: &CertificateDates,
    verify_url: &str,
) -> AppResult<Vec<u8>> {
    let fail = |what: &str| AppError::Internal(format!("drawing the certificate PDF: {what}"));
    let font = Font::new(FONT.into(), 0).ok_or_else(|| fail("the font"))?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("Certificate: {}", cert.title))
            .creator("Lore".to_owned()),
    );
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| fail("the page"))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    // Lore's accent (the theme colour of the pages).
    let accent = rgb::Color::new(67, 56, 202);
    let ink = rgb::Color::new(17, 24, 39);
    let muted = rgb::Color::new(75, 85, 99);

    // A frame around the page.
    let mut frame = PathBuilder::new();
    frame.push_rect(
        Rect::from_xywh(24.0, 24.0, WIDTH - 48.0, HEIGHT - 48.0)
            .ok_or_else(|| fail("the frame"))?,
    );
    let frame = frame.finish().ok_or_else(|| fail("the frame"))?;
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: accent.into(),
        width: 3.0,
        ..Default::default()
    }));
    surface.draw_path(&frame);
    surface.set_stroke(None);

    let mut y = MARGIN + 40.0;
    let mut write = |surface: &mut krilla::surface::Surface<'_>,
                     text: &str,
                     size: f32,
                     colour: rgb::Color,
                     gap: f32| {
        y += gap;
        surface.set_fill(Some(Fill {
            paint: colour.into(),
            ..Default::default()
        }));
        surface.draw_text(
            Point::from_xy(MARGIN, y),
            font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
    };
    write(&mut surface, "CERTIFICATE OF COMPLETION", 16.0, accent, 0.0);
    write(&mut surface, "This certifies that", 16.0, muted, 56.0);
    write(&mut surface, &cert.holder_name, 36.0, ink, 52.0);
    write(&mut surface, "has completed the course", 16.0, muted, 44.0);
    for (i, line) in wrap(&cert.title, 40).iter().enumerate() {
        write(
            &mut surface,
            line,
            28.0,
            ink,
            if i == 0 { 44.0 } else { 34.0 },
        );
    }
    write(
        &mut surface,
        &format!("Awarded {}", dates.awarded),
        14.0,
        ink,
        52.0,
    );
    let validity = match &dates.expires {
        Some(e) => format!("Valid until {e}"),
        None => "Does not expire".to_owned(),
    };
    write(&mut surface, &validity, 14.0, ink, 22.0);
    write(
        &mut surface,
        &format!("Verify at {verify_url}"),
        10.0,
        muted,
        40.0,
    );
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| AppError::Internal(format!("writing the certificate PDF: {e:?}")))
}

/// The dates as the reader's page shows them.
#[derive(Debug, Clone)]
pub struct CertificateDates {
    pub awarded: String,
    pub expires: Option<String>,
}

impl App {
    /// A certificate the caller may see, as a PDF with the dates written as given.
    pub async fn certificate_pdf(
        &self,
        caller: &Caller,
        id: i64,
        dates: impl FnOnce(&CertificateView) -> CertificateDates,
        verify_base: &str,
    ) -> AppResult<(CertificateView, Vec<u8>)> {
        let cert = self.certificate(caller, id).await?;
        let dates = dates(&cert);
        let url = format!(
            "{}/verify/{}",
            verify_base.trim_end_matches('/'),
            cert.public_id
        );
        let pdf = tokio::task::spawn_blocking({
            let cert = cert.clone();
            move || render(&cert, &dates, &url)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
        Ok((cert, pdf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_wrap_between_words() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("one", 1), vec!["one"]);
        assert!(wrap("", 10).is_empty());
    }
}
