using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecureDialogue.Client.Profile;

namespace SecureDialogue.Client.Attachments;

/// <summary>
/// What an interrupted upload needs to resume, saved in the profile (docs/cli.md "Attachments"): the server's upload id,
/// the file's identity (a SHA-256 of its path, size, modification time, name and media type: no file name in clear), the
/// file key and secretstream header sealed to this device's own agreement key (only the unlocked key store opens them),
/// the SHA-256 of every part the server acknowledged (to detect a changed file before anything new is sent), and the
/// blob id once the server committed it.
/// </summary>
internal sealed class UploadResumeDocument
{
    public int Version { get; set; } = 1;

    public string UploadId { get; set; } = string.Empty;

    public string FileIdentity { get; set; } = string.Empty;

    public long CiphertextLength { get; set; }

    public byte[] SealedKey { get; set; } = [];

    public Dictionary<int, string> PartHashes { get; set; } = [];

    public string? BlobId { get; set; }
}

/// <summary>The resume documents of one channel: <c>reviews/&lt;review&gt;/&lt;channel&gt;/uploads/&lt;path hash&gt;.json</c>, 0600.</summary>
internal sealed class UploadResumeStore(ProfileLayout layout, Guid review, string channel)
{
    private const long MaxDocumentLength = 1024 * 1024;
    private readonly string _directory = Path.Combine(layout.ChannelDirectory(review, channel), "uploads");

    /// <summary>The identity of a file as it is now; a resume needs the same identity.</summary>
    public static string Identity(string fullPath, long length, DateTime modifiedUtc, string fileName, string mediaType)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{fullPath}\n{length}\n{modifiedUtc.Ticks}\n{fileName}\n{mediaType}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public UploadResumeDocument? Load(string fullPath)
    {
        try
        {
            var bytes = AtomicStateFile.Read(PathOf(fullPath), MaxDocumentLength);
            return bytes is null ? null : JsonSerializer.Deserialize(bytes, ProfileJsonContext.Default.UploadResumeDocument);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null; // unreadable: start the upload again
        }
    }

    public void Save(string fullPath, UploadResumeDocument document) =>
        AtomicStateFile.Write(PathOf(fullPath), JsonSerializer.SerializeToUtf8Bytes(document, ProfileJsonContext.Default.UploadResumeDocument));

    public void Delete(string fullPath) => AtomicStateFile.TryDelete(PathOf(fullPath));

    private string PathOf(string fullPath) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fullPath)))[..32] + ".json");
}
