//! Settings kept in the database as JSON values, so the database stays the one place
//! that holds Démarche's state and a portable install carries its settings along.

use rusqlite::{params, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{Result, Store, StoreError};

impl Store {
    /// The setting `key`, or `None` when it was never saved. A value that no longer
    /// reads as `T` (written by another version, say) is an error naming the key.
    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0))
            .optional()?;
        text.map(|text| {
            serde_json::from_str(&text)
                .map_err(|error| StoreError::Setting { key: key.to_string(), reason: error.to_string() })
        })
        .transpose()
    }

    /// Saves the setting `key`.
    pub fn set_setting<T: Serialize>(&mut self, key: &str, value: &T) -> Result<()> {
        let text = serde_json::to_string(value)
            .map_err(|error| StoreError::Setting { key: key.to_string(), reason: error.to_string() })?;
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, text],
        )?;
        Ok(())
    }
}
