using System.Globalization;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Cli.Commands.Verify;

/// <summary>
/// Writes the documents of a verified publication record as <c>DIR/&lt;segment&gt;-&lt;file name&gt;</c>. The file
/// name is the author's (checked by the manifest rules: no path separators, controls or bidi overrides) and is used
/// only as a last path component; existing files are never overwritten.
/// </summary>
internal static class PublicationDocuments
{
    public static Result<List<string>, CommandFailure> Save(PublicationRecord record, string directory)
    {
        var written = new List<string>();
        try
        {
            Directory.CreateDirectory(directory);
            foreach (var document in record.Documents)
            {
                var segment = record.Disclosed.Single(d => d.Index == document.SegmentIndex).Segment;
                using var manifest = AttachmentManifest.FromSegment(segment).Value!;
                var name = Path.GetFileName(manifest.FileName);
                var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{document.SegmentIndex}-{name}"));
                using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                {
                    file.Write(document.Content.Span);
                }

                written.Add(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CommandFailure(ExitCodes.Failed, $"cannot save the documents in {directory}: {e.Message}");
        }

        return written;
    }
}
