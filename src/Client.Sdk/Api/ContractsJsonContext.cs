using System.Text.Json;
using System.Text.Json.Serialization;
using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Api;

/// <summary>
/// Source-generated JSON for the wire contract, with ASP.NET Core's web defaults (camelCase, enums as numbers,
/// binary values as base64), the same as the server's minimal APIs.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(RegisterDevice))]
[JsonSerializable(typeof(DeviceEntry))]
[JsonSerializable(typeof(IReadOnlyList<DeviceEntry>))]
[JsonSerializable(typeof(IReadOnlyList<ReviewSummary>))]
[JsonSerializable(typeof(ReviewDetail))]
[JsonSerializable(typeof(CreateReview))]
[JsonSerializable(typeof(IReadOnlyList<EpochRecordEntry>))]
[JsonSerializable(typeof(AddEpochRecord))]
[JsonSerializable(typeof(EnvelopePage))]
[JsonSerializable(typeof(SendEnvelope))]
[JsonSerializable(typeof(SendAck))]
[JsonSerializable(typeof(ProblemDocument))]
[JsonSerializable(typeof(BeginUpload))]
[JsonSerializable(typeof(UploadStatus))]
[JsonSerializable(typeof(UploadedPart))]
[JsonSerializable(typeof(CompleteUpload))]
[JsonSerializable(typeof(BlobEntry))]
[JsonSerializable(typeof(ArchiveKeys))]
[JsonSerializable(typeof(ArchiveCheckpoint))]
[JsonSerializable(typeof(ArchiveEntryPage))]
[JsonSerializable(typeof(ArchiveInclusionProofs))]
[JsonSerializable(typeof(ArchiveRangeProof))]
[JsonSerializable(typeof(ArchiveConsistencyProof))]
[JsonSerializable(typeof(CosignCheckpoint))]
[JsonSerializable(typeof(CosignatureAccepted))]
[JsonSerializable(typeof(StageInfo))]
[JsonSerializable(typeof(AdvanceStage))]
[JsonSerializable(typeof(PolicyInfo))]
[JsonSerializable(typeof(SetPolicy))]
[JsonSerializable(typeof(ReviewMembersResponse))]
[JsonSerializable(typeof(SetFocalPoint))]
[JsonSerializable(typeof(FocalPointEntry))]
[JsonSerializable(typeof(SubmitTrustStatement))]
[JsonSerializable(typeof(TrustStatementEntry))]
[JsonSerializable(typeof(SealArchive))]
[JsonSerializable(typeof(SealedBundleInfo))]
[JsonSerializable(typeof(SealedBundleList))]
[JsonSerializable(typeof(PublicationEntry))]
[JsonSerializable(typeof(PublicationList))]
[JsonSerializable(typeof(SubmitAmendment))]
[JsonSerializable(typeof(AmendmentEntry))]
[JsonSerializable(typeof(IReadOnlyList<AmendmentEntry>))]
internal sealed partial class ContractsJsonContext : JsonSerializerContext;
