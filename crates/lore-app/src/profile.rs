//! A person's profile: display name, photo, language and time zone. The time zone is an
//! IANA name checked against the time zone database bundled into the binary (jiff's), so
//! every server shows the same dates whatever its system has installed.

use lore_domain::account::PersonName;
use lore_store::Profile as StoredProfile;

use crate::blobs::{BlobPurpose, is_blob_hash};
use crate::{App, AppError, AppResult, Caller};

/// An IANA time zone, known to be in the database.
#[derive(Debug, Clone)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl Zone {
    /// Parse a name from the list ([`time_zones`]); anything else is refused.
    pub fn parse(raw: &str) -> AppResult<Zone> {
        let name = raw.trim();
        let refused = || {
            AppError::invalid(
                "time_zone",
                "Choose a time zone from the list, like Europe/Paris or America/New_York.",
            )
        };
        if !is_listed(name) {
            return Err(refused());
        }
        let tz = jiff::tz::db().get(name).map_err(|_| refused())?;
        Ok(Zone {
            name: name.to_owned(),
            tz,
        })
    }

    /// Coordinated Universal Time, for people who chose nothing.
    pub fn utc() -> Zone {
        Zone {
            name: "UTC".to_owned(),
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    /// The stored name, or UTC when it is not (or no longer) a known zone.
    pub fn stored(raw: &str) -> Zone {
        Zone::parse(raw).unwrap_or_else(|_| Zone::utc())
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `t` as a wall-clock time in this zone (daylight saving time included).
    pub fn local(&self, t: time::OffsetDateTime) -> time::OffsetDateTime {
        let offset = jiff::Timestamp::from_second(t.unix_timestamp())
            .map(|ts| self.tz.to_offset(ts).seconds())
            .unwrap_or(0);
        match time::UtcOffset::from_whole_seconds(offset) {
            Ok(o) => t.to_offset(o),
            Err(_) => t,
        }
    }

    /// The moment a wall-clock date begins in this zone (midnight, or the first moment
    /// after it when a clock change skips midnight).
    pub fn start_of(&self, date: time::Date) -> time::OffsetDateTime {
        let start = jiff::civil::date(date.year() as i16, date.month() as i8, date.day() as i8)
            .to_zoned_datetime(self.tz.clone())
            .ok()
            .and_then(|z| {
                time::OffsetDateTime::from_unix_timestamp(z.timestamp().as_second()).ok()
            });
        start.unwrap_or_else(|| date.midnight().assume_utc())
    }
}

/// Whether `name` is one of the zones people choose from.
fn is_listed(name: &str) -> bool {
    name == "UTC"
        || (ZONE_REGIONS.iter().any(|r| {
            name.strip_prefix(r)
                .is_some_and(|rest| rest.starts_with('/'))
        }))
}

/// The regions of the IANA names offered (leaving out the legacy aliases like `US/Eastern`
/// and the `Etc/GMT+5` zones, whose signs read backwards).
const ZONE_REGIONS: [&str; 10] = [
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
];

/// Every time zone a person may choose, sorted, UTC first.
pub fn time_zones() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_owned())
        .filter(|n| n != "UTC" && is_listed(n))
        .collect();
    names.sort();
    names.insert(0, "UTC".to_owned());
    names
}

/// The languages a person may choose, as (code, name in that language). Pages are in
/// English for now; the choice is kept for mails and pages as translations arrive.
pub const LANGUAGES: [(&str, &str); 7] = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pt", "Português"),
];

/// A person's profile as pages and the API show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProfileView {
    pub name: String,
    pub email: String,
    pub time_zone: String,
    pub language: String,
    /// The blob hash of the photo, shown at `/blobs/{hash}`.
    pub photo: Option<String>,
}

/// A change of profile as typed. `photo`: `None` keeps the photo, `Some("")` removes it,
/// `Some(hash)` sets an image uploaded before; `photo_upload` stores a new one and sets it.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange<'a> {
    pub name: Option<&'a str>,
    pub time_zone: Option<&'a str>,
    pub language: Option<&'a str>,
    pub photo: Option<&'a str>,
    pub photo_upload: Option<PhotoUpload>,
}

/// An image file sent with a profile change.
#[derive(Debug, Clone)]
pub struct PhotoUpload {
    pub data: bytes::Bytes,
    pub content_type: String,
    pub file_name: String,
}

impl App {
    pub async fn profile(&self, caller: &Caller) -> AppResult<ProfileView> {
        let user = self
            .store
            .user(caller.id.0)
            .await?
            .ok_or(AppError::NotFound("Your account"))?;
        Ok(ProfileView {
            name: user.name,
            email: user.email,
            time_zone: Zone::stored(&user.time_zone).name().to_owned(),
            language: user.language,
            photo: user.photo_blob,
        })
    }

    /// Change one's own profile: every field is checked before anything is written, and
    /// fields left out keep their value.
    pub async fn update_profile(
        &self,
        caller: &Caller,
        change: ProfileChange<'_>,
    ) -> AppResult<ProfileView> {
        caller.require_own_account()?;
        self.unit_of_work(|app| async move {
            let current = app.profile(caller).await?;
            let name = match change.name {
                Some(n) => PersonName::parse(n)?.as_str().to_owned(),
                None => current.name,
            };
            let time_zone = match change.time_zone {
                Some(z) => Zone::parse(z)?.name().to_owned(),
                None => current.time_zone,
            };
            let language = match change.language.map(str::trim) {
                Some(l) => LANGUAGES
                    .iter()
                    .find(|(code, _)| *code == l)
                    .map(|(code, _)| (*code).to_owned())
                    .ok_or_else(|| {
                        AppError::invalid("language", "Choose a language from the list.")
                    })?,
                None => current.language,
            };
            let photo = match (change.photo_upload, change.photo.map(str::trim)) {
                (Some(upload), _) => Some(
                    app.put_blob(
                        caller,
                        upload.data,
                        &upload.content_type,
                        &upload.file_name,
                        BlobPurpose::Image,
                    )
                    .await?
                    .hash,
                ),
                (None, None) => current.photo,
                (None, Some("")) => None,
                (None, Some(hash)) => {
                    let blob = if is_blob_hash(hash) {
                        app.store.blob(hash).await?
                    } else {
                        None
                    };
                    match blob {
                        Some(b) if BlobPurpose::Image.allows(&b.content_type) => {
                            Some(hash.to_owned())
                        }
                        // Naming an upload that does not exist is "not found", as for any id.
                        None => return Err(AppError::NotFound("That uploaded photo")),
                        Some(_) => {
                            return Err(AppError::invalid(
                                "photo",
                                "The photo must be an image uploaded to Lore (PNG, JPEG, GIF or WebP).",
                            ));
                        }
                    }
                }
            };
            app.store
                .set_profile(
                    caller.id.0,
                    StoredProfile {
                        name: &name,
                        time_zone: &time_zone,
                        language: &language,
                        photo_blob: photo.as_deref(),
                    },
                    app.now(),
                )
                .await?;
            app.profile(caller).await
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn zones_come_from_the_list_only() {
        assert_eq!(
            Zone::parse("Europe/Paris")
                .map(|z| z.name().to_owned())
                .ok(),
            Some("Europe/Paris".to_owned())
        );
        assert!(Zone::parse("Mars/Olympus_Mons").is_err());
        assert!(Zone::parse("US/Eastern").is_err());
        assert!(Zone::parse("").is_err());
        let all = time_zones();
        assert_eq!(all.first().map(String::as_str), Some("UTC"));
        assert!(all.iter().any(|z| z == "America/New_York"));
        assert!(all.iter().all(|z| Zone::parse(z).is_ok()));
    }

    #[test]
    fn local_time_follows_daylight_saving() {
        let paris = Zone::stored("Europe/Paris");
        let summer = paris.local(datetime!(2026-07-01 12:00 UTC));
        assert_eq!((summer.hour(), summer.offset().whole_hours()), (14, 2));
        let winter = paris.local(datetime!(2026-12-05 13:05 UTC));
        assert_eq!((winter.hour(), winter.minute()), (14, 5));
        assert_eq!(
            paris.start_of(date!(2026 - 12 - 05)),
            datetime!(2026-12-04 23:00 UTC)
        );
        assert_eq!(Zone::stored("nonsense").name(), "UTC");
    }
}
