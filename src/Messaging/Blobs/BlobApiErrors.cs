using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;

namespace SecureDialogue.Messaging.Blobs;

/// <summary>The problems of the upload and download endpoints.</summary>
internal static class BlobApiErrors
{
    public static ApiError TooLarge(long length, long max) =>
        new(ProblemTypes.TooLarge, StatusCodes.Status413PayloadTooLarge, "The request is larger than this endpoint accepts.",
            $"The attachment's ciphertext would be {length} bytes; this server accepts at most {max} bytes (Blobs:MaxBlobSize).");

    public static ApiError HashMismatch { get; } =
        new(ProblemTypes.HashMismatch, StatusCodes.Status422UnprocessableEntity, "The uploaded bytes do not match the ciphertext hash.",
            "Nothing was stored and the upload is discarded: upload the file again.");

    public static ApiError IncompleteUpload(int acknowledged, int count) =>
        new(ProblemTypes.IncompleteUpload, StatusCodes.Status409Conflict, "Some parts of the upload are missing.",
            $"{acknowledged} of {count} parts are acknowledged; send the others first.");

    public static ApiError InvalidRange(long length) =>
        new(ProblemTypes.InvalidRange, StatusCodes.Status416RangeNotSatisfiable, "The range is outside the blob.",
            $"The blob has {length} bytes; ask for bytes=N- or bytes=N-M within it.");

    public static ApiError UploadNotFound { get; } = ApiErrors.NotFound("There is no such upload in this channel (never begun, aborted, or expired).");

    public static ApiError BlobNotFound { get; } = ApiErrors.NotFound("This channel has no such attachment.");

    /// <summary>The problem for a store refusal.</summary>
    public static ApiError From(BlobError error, BlobUpload? upload = null) => error switch
    {
        BlobError.NotFound => UploadNotFound,
        BlobError.TooLarge => TooLarge(upload?.Length ?? 0, 0),
        BlobError.InvalidLength => ApiErrors.BadRequest("The length must be positive."),
        BlobError.InvalidPartNumber => ApiErrors.BadRequest($"The part number must be 1 to {upload?.PartCount}."),
        BlobError.PartLengthMismatch => ApiErrors.BadRequest(upload is null
            ? "The part's body does not have the part's exact length."
            : $"The part's body does not have the part's exact length (every part is {upload.PartSize} bytes but the last)."),
        BlobError.IncompleteUpload => IncompleteUpload(0, upload?.PartCount ?? 0),
        BlobError.HashMismatch => HashMismatch,
        BlobError.InvalidRange => InvalidRange(upload?.Length ?? 0),
        _ => ApiErrors.BadRequest(error.ToString()),
    };
}
