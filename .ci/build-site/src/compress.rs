//! A brotli and a gzip copy beside every file of the site, made once at build time at the highest
//! settings: the server picks the copy the browser accepts (`Accept-Encoding`) and never
//! compresses while serving.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Writes `<file>.br` and `<file>.gz` for every file under `dir` (copies already there skipped).
/// Returns the files compressed.
pub fn precompress(dir: &Path) -> Result<Vec<PathBuf>> {
    let files = files_under(dir)?;
    std::thread::scope(|scope| {
        let halves: Vec<_> = files
            .chunks(files.len().div_ceil(2).max(1))
            .map(|half| scope.spawn(move || half.iter().try_for_each(|f| compress(f))))
            .collect();
        halves
            .into_iter()
            .try_for_each(|half| half.join().expect("a compression worker panicked"))
    })?;
    Ok(files)
}

fn compress(file: &Path) -> Result<()> {
    let contents = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let with_ext = |ext: &str| {
        let mut name = file.as_os_str().to_owned();
        name.push(ext);
        PathBuf::from(name)
    };
    let mut brotli = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut contents.as_slice(), &mut brotli, &params)?;
    std::fs::write(with_ext(".br"), brotli)?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&contents)?;
    std::fs::write(with_ext(".gz"), gzip.finish()?)?;
    Ok(())
}

fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in
            std::fs::read_dir(&folder).with_context(|| format!("listing {}", folder.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz")) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn every_file_gets_a_brotli_and_a_gzip_copy_that_decompress_to_it() {
        let dir = crate::testdir::TestDir::new("compress");
        let text = "const shoal = 'an open academy';\n".repeat(200);
        dir.write("pkg/shoal.js", text.as_bytes());
        dir.write("pkg/snippets/x/inline0.js", b"export const a = 1;");
        let files = precompress(dir.path()).unwrap();
        assert_eq!(files.len(), 2);

        let mut unbrotli = Vec::new();
        brotli::BrotliDecompress(&mut dir.read("pkg/shoal.js.br").as_slice(), &mut unbrotli)
            .unwrap();
        assert_eq!(unbrotli, text.as_bytes());
        let mut ungzip = Vec::new();
        flate2::read::GzDecoder::new(dir.read("pkg/shoal.js.gz").as_slice())
            .read_to_end(&mut ungzip)
            .unwrap();
        assert_eq!(ungzip, text.as_bytes());
        assert!(dir.read("pkg/shoal.js.br").len() < text.len() / 10);
        assert!(dir.path().join("pkg/snippets/x/inline0.js.br").is_file());
    }

    #[test]
    fn compressing_again_does_not_compress_the_copies() {
        let dir = crate::testdir::TestDir::new("compress-again");
        dir.write("shoal.css", b"body { margin: 0 }");
        precompress(dir.path()).unwrap();
        let again = precompress(dir.path()).unwrap();
        assert_eq!(again, vec![dir.path().join("shoal.css")]);
        assert!(!dir.path().join("shoal.css.br.br").exists());
    }
}
