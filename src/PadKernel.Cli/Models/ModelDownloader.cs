using System.Security.Cryptography;

namespace PadKernel.Cli.Models;

/// <summary>Downloads a catalog model into the cache, verifying every file's sha256 before it is put in place.</summary>
internal sealed class ModelDownloader(HttpClient http)
{
    /// <summary>Fetches the files of <paramref name="model"/> into <paramref name="folder"/>; files already there with the right checksum are kept.</summary>
    /// <param name="model">The model.</param>
    /// <param name="folder">The destination folder.</param>
    /// <param name="sourceUrl">The folder URL to fetch from (the catalog's, or a mirror).</param>
    /// <param name="progress">Receives (file, bytes so far, total bytes or null).</param>
    /// <param name="cancellationToken">Cancels the download; partial files are removed.</param>
    public async Task DownloadAsync(CatalogModel model, string folder, string sourceUrl, Action<string, long, long?> progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        foreach (CatalogFile file in model.Files)
        {
            string target = Path.Combine(folder, file.Name);
            if (File.Exists(target) && await HashFileAsync(target, cancellationToken) == file.Sha256)
            {
                progress(file.Name, new FileInfo(target).Length, new FileInfo(target).Length);
                continue;
            }

            string partial = target + ".partial";
            try
            {
                var uri = new Uri(new Uri(sourceUrl.EndsWith('/') ? sourceUrl : sourceUrl + "/"), file.Name);
                using HttpResponseMessage response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw new PadKernelException($"Downloading {uri} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
                }

                long? total = response.Content.Headers.ContentLength;
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using (Stream source = await response.Content.ReadAsStreamAsync(cancellationToken))
                await using (var destination = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    byte[] buffer = new byte[81920];
                    long done = 0;
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                        done += read;
                        progress(file.Name, done, total);
                    }
                }

                string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (actual != file.Sha256)
                {
                    throw new PadKernelException($"{file.Name} from {uri} has sha256 {actual}, expected {file.Sha256}; the download was discarded.");
                }

                File.Move(partial, target, overwrite: true);
            }
            finally
            {
                if (File.Exists(partial))
                {
                    File.Delete(partial);
                }
            }
        }
    }

    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
