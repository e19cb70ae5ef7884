using SecureDialogue.Client.Api;

namespace SecureDialogue.Client.Attachments;

/// <summary>Why an attachment was not sent or not downloaded.</summary>
public enum AttachmentFailureKind
{
    /// <summary>This member may not post in the channel (an observer).</summary>
    NotAllowed = 1,

    /// <summary>This device holds no key of the channel's current epoch.</summary>
    NoKey = 2,

    /// <summary>The file is larger than the server accepts (<see cref="AttachmentFailure.Detail"/> says the limit).</summary>
    TooLarge = 3,

    /// <summary>The file could not be read, or the destination could not be written.</summary>
    Io = 4,

    /// <summary>The file changed while it was being uploaded, or since an interrupted upload of it: the upload was discarded.</summary>
    FileChanged = 5,

    /// <summary>No answer from the server (after retries); an upload resumes from the acknowledged parts, a download from the received bytes.</summary>
    Unreachable = 6,

    /// <summary>The server refused a request (<see cref="AttachmentFailure.Api"/>).</summary>
    Refused = 7,

    /// <summary>No verified item at that sequence, or an item that carries no attachment.</summary>
    NoAttachment = 8,

    /// <summary>
    /// The downloaded bytes failed verification (ciphertext hash, a chunk, the final tag, the length or the plaintext
    /// hash): the server or the storage altered, swapped or cut the file. Nothing was written to the destination.
    /// </summary>
    Invalid = 9,

    /// <summary>The destination exists (and overwriting was not asked for).</summary>
    DestinationExists = 10,

    /// <summary>The uploaded item could not be sealed or sent (<see cref="AttachmentFailure.Send"/>); the blob is stored.</summary>
    SendFailed = 11,
}

/// <summary>Why an attachment transfer failed.</summary>
/// <param name="Kind">The reason.</param>
/// <param name="Detail">A sentence for a person (never content, keys or tokens).</param>
/// <param name="Api">The server's answer, for <see cref="AttachmentFailureKind.Refused"/> and <see cref="AttachmentFailureKind.Unreachable"/>.</param>
/// <param name="Send">The send error, for <see cref="AttachmentFailureKind.SendFailed"/>.</param>
public readonly record struct AttachmentFailure(AttachmentFailureKind Kind, string Detail, ApiError? Api = null, Channels.SendError? Send = null);
