namespace SecureDialogue.Cli.Commands.Attachments;

/// <summary>What <c>attach</c> prints.</summary>
/// <param name="Review">The review id.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Sequence">The sequence of the document item; null while it is queued.</param>
/// <param name="Queued">True when the item waits in the outbox (the file itself is stored).</param>
/// <param name="Item">The item's address for <c>sdlg download</c>, once it has a sequence.</param>
/// <param name="FileName">The file name the readers see.</param>
/// <param name="MediaType">The media type the readers see.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="StoredSize">The stored (padded, encrypted) size: all the server learns of the size.</param>
/// <param name="BlobId">The ciphertext hash, the blob's id on the server.</param>
/// <param name="Resumed">True when an interrupted upload of this file was continued.</param>
/// <param name="PartsSent">Parts sent by this run.</param>
/// <param name="PartsSkipped">Parts the server already held from an interrupted run.</param>
/// <param name="Seconds">Time the command took.</param>
internal sealed record AttachedView(
    Guid Review, string Channel, long? Sequence, bool Queued, string? Item, string FileName, string MediaType, long Size, long StoredSize, string BlobId,
    bool Resumed, int PartsSent, int PartsSkipped, double Seconds)
{
    public void WriteText(TextWriter writer)
    {
        var resumed = Resumed ? $"; resumed an interrupted upload ({PartsSkipped} parts already stored, {PartsSent} sent now)" : "";
        writer.WriteLine(Queued
            ? $"Uploaded '{FileName}' ({ProgressLine.Bytes(Size)}) to '{Channel}' (review {Review}); its item is queued in this profile's outbox and is sent by the next read, send or watch{resumed}."
            : $"Attached '{FileName}' ({ProgressLine.Bytes(Size)}, {MediaType}) to '{Channel}' (review {Review}) as item {Item}{resumed}.");
    }
}

/// <summary>What <c>download</c> prints.</summary>
/// <param name="Item">The item's address.</param>
/// <param name="Path">Where the verified file is.</param>
/// <param name="FileName">The sender's file name.</param>
/// <param name="MediaType">The sender's media type.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="ResumedBytes">Bytes an interrupted download had already received.</param>
/// <param name="Seconds">Time the command took.</param>
internal sealed record DownloadedView(string Item, string Path, string FileName, string MediaType, long Size, long ResumedBytes, double Seconds)
{
    public void WriteText(TextWriter writer) =>
        writer.WriteLine($"Downloaded '{FileName}' ({ProgressLine.Bytes(Size)}, {MediaType}) from item {Item} to {Path}: verified against the sender's signed manifest{(ResumedBytes > 0 ? $" (resumed after {ProgressLine.Bytes(ResumedBytes)})" : "")}.");
}
