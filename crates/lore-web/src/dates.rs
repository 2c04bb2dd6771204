//! The one way pages show a moment: "5 Dec 2026, 14:05", in the reader's time zone (their
//! profile's; UTC until they choose one). Every page that shows a date calls [`when`].

use lore_app::Caller;
use lore_app::profile::Zone;

/// `t` as the reader reads it: day, short month, year, and the time in their zone.
pub fn when(zone: &Zone, t: time::OffsetDateTime) -> String {
    let f = time::macros::format_description!(
        "[day padding:none] [month repr:short] [year], [hour]:[minute]"
    );
    zone.local(t).format(&f).unwrap_or_default()
}

impl crate::session::Viewer {
    /// [`when`] in the signed-in person's time zone.
    pub fn when(&self, t: time::OffsetDateTime) -> String {
        when_for(self.caller(), t)
    }
}

/// [`when`] for the signed-in person.
pub fn when_for(caller: &Caller, t: time::OffsetDateTime) -> String {
    when(&caller.time_zone, t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn one_format_in_the_readers_zone() {
        let t = datetime!(2026-12-05 13:05 UTC);
        assert_eq!(when(&Zone::utc(), t), "5 Dec 2026, 13:05");
        assert_eq!(when(&Zone::stored("Europe/Paris"), t), "5 Dec 2026, 14:05");
        assert_eq!(
            when(&Zone::stored("America/New_York"), t),
            "5 Dec 2026, 08:05"
        );
    }
}
