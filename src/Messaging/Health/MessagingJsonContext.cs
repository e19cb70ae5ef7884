using System.Text.Json;
using System.Text.Json.Serialization;
using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Health;

/// <summary>Source-generated JSON for every body the server reads or writes (HTTP and hub).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(DevTokenRequest))]
[JsonSerializable(typeof(DevTokenResponse))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(RegisterDevice))]
[JsonSerializable(typeof(DeviceEntry))]
[JsonSerializable(typeof(IReadOnlyList<DeviceEntry>))]
[JsonSerializable(typeof(CreateReview))]
[JsonSerializable(typeof(ReviewSummary))]
[JsonSerializable(typeof(IReadOnlyList<ReviewSummary>))]
[JsonSerializable(typeof(ReviewDetail))]
[JsonSerializable(typeof(AddEpochRecord))]
[JsonSerializable(typeof(EpochRecordEntry))]
[JsonSerializable(typeof(IReadOnlyList<EpochRecordEntry>))]
[JsonSerializable(typeof(SendEnvelope))]
[JsonSerializable(typeof(SendAck))]
[JsonSerializable(typeof(EnvelopePage))]
[JsonSerializable(typeof(JoinedReview))]
[JsonSerializable(typeof(EnvelopeNotice))]
[JsonSerializable(typeof(EpochNotice))]
[JsonSerializable(typeof(BeginUpload))]
[JsonSerializable(typeof(UploadStatus))]
[JsonSerializable(typeof(UploadedPart))]
[JsonSerializable(typeof(CompleteUpload))]
[JsonSerializable(typeof(BlobEntry))]
[JsonSerializable(typeof(ArchiveKeys))]
[JsonSerializable(typeof(ArchiveCheckpoint))]
[JsonSerializable(typeof(ArchiveEntryPage))]
[JsonSerializable(typeof(ArchiveInclusionProofs))]
[JsonSerializable(typeof(ArchiveConsistencyProof))]
[JsonSerializable(typeof(CosignCheckpoint))]
[JsonSerializable(typeof(CosignatureAccepted))]
[JsonSerializable(typeof(SealArchive))]
[JsonSerializable(typeof(SealedBundleInfo))]
[JsonSerializable(typeof(SealedBundleList))]
internal sealed partial class MessagingJsonContext : JsonSerializerContext;
