namespace SecureDialogue.Messaging.Blobs;

/// <summary>Why a blob store operation was refused. Expected outcomes, returned as values.</summary>
internal enum BlobError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>No such upload (never begun, completed, aborted or cleaned up) or no such blob.</summary>
    NotFound,

    /// <summary>The declared length is above the store's size limit (<see cref="IBlobStore.MaxBlobSize"/>).</summary>
    TooLarge,

    /// <summary>The declared length is negative or zero.</summary>
    InvalidLength,

    /// <summary>A part number outside 1..<see cref="BlobUpload.PartCount"/>.</summary>
    InvalidPartNumber,

    /// <summary>The part's content was shorter or longer than <see cref="BlobUpload.PartLength"/>; it was not stored.</summary>
    PartLengthMismatch,

    /// <summary>Completing an upload whose parts are not all acknowledged.</summary>
    IncompleteUpload,

    /// <summary>The uploaded bytes do not hash to the declared ciphertext hash; nothing was committed and the upload is gone.</summary>
    HashMismatch,

    /// <summary>A range outside the blob.</summary>
    InvalidRange,
}
