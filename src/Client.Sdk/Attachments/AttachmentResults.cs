using SecureDialogue.Client.Channels;

namespace SecureDialogue.Client.Attachments;

/// <summary>An attachment uploaded and its item sent (or queued in the outbox).</summary>
/// <param name="Item">The <see cref="Vault.Envelopes.ItemKind.Document"/> item that carries the encrypted manifest.</param>
/// <param name="BlobId">The ciphertext hash, the blob's id on the server.</param>
/// <param name="PlaintextLength">The file's length.</param>
/// <param name="CiphertextLength">The stored length (padded: all the server learns of the size).</param>
/// <param name="Resumed">True when an interrupted upload of the same file was continued.</param>
/// <param name="PartsSent">Parts sent in this run.</param>
/// <param name="PartsSkipped">Parts the server already held.</param>
public sealed record SentAttachment(SentItem Item, string BlobId, long PlaintextLength, long CiphertextLength, bool Resumed, int PartsSent, int PartsSkipped);

/// <summary>An attachment downloaded, verified and moved to its path.</summary>
/// <param name="Path">Where the file is now.</param>
/// <param name="FileName">The sender's file name.</param>
/// <param name="MediaType">The sender's media type.</param>
/// <param name="PlaintextLength">The file's length.</param>
/// <param name="CiphertextLength">The blob's length.</param>
/// <param name="ResumedBytes">Ciphertext bytes already received by an earlier, interrupted download.</param>
public sealed record DownloadedAttachment(string Path, string FileName, string MediaType, long PlaintextLength, long CiphertextLength, long ResumedBytes);
