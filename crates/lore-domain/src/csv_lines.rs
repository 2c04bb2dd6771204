//! Line numbers for CSV records, so every import can say "line 7" the way an editor does.

/// Turns record start offsets (which only grow) into 1-based line numbers, counting
/// newlines once over the whole file.
pub(crate) struct LineCounter<'a> {
    data: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self {
            data,
            byte: 0,
            line: 1,
        }
    }

    /// The line of the record starting at `byte`.
    pub(crate) fn line_at(&mut self, byte: u64) -> u64 {
        let mut target = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.data.len());
        // The csv reader reports a record's start before the blank lines it skipped.
        while matches!(self.data.get(target), Some(b'\n' | b'\r')) {
            target += 1;
        }
        if target > self.byte {
            let newlines = self.data[self.byte..target]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.line += newlines as u64;
            self.byte = target;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_blank_lines_before_a_record() {
        let data = b"a\nb\n\n\nc\n";
        let mut lines = LineCounter::new(data);
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(2), 2);
        assert_eq!(lines.line_at(4), 5);
    }
}
