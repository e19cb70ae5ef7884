namespace SecureDialogue.Client.Attachments;

/// <summary>What a transfer is doing.</summary>
public enum TransferPhase
{
    /// <summary>Encrypting and sending parts (bytes: ciphertext acknowledged by the server, skipped parts included).</summary>
    Uploading = 1,

    /// <summary>Receiving the ciphertext (bytes: ciphertext held locally, a resumed prefix included).</summary>
    Downloading = 2,

    /// <summary>Checking and decrypting the received ciphertext (bytes: plaintext written).</summary>
    Verifying = 3,
}

/// <summary>Progress of an upload or download: <paramref name="Done"/> of <paramref name="Total"/> bytes in <paramref name="Phase"/>.</summary>
/// <param name="Phase">The phase.</param>
/// <param name="Done">Bytes done.</param>
/// <param name="Total">Bytes in the phase.</param>
/// <param name="Resumed">Bytes that were already done when the transfer (re)started, not moved again now.</param>
public readonly record struct TransferProgress(TransferPhase Phase, long Done, long Total, long Resumed);
