using SecureDialogue.TestVectors;

// Writes the protocol v1 test vectors (docs/test-vectors/README.md). Usage:
//   dotnet run --project tools/TestVectors -- [output directory, default docs/test-vectors] [--fresh-epoch-records]
var fresh = args.Contains("--fresh-epoch-records");
var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
if (positional.Length > 1 || args.Any(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--fresh-epoch-records"))
{
    Console.Error.WriteLine("usage: TestVectors [output directory] [--fresh-epoch-records]");
    return 2;
}

var directory = positional.Length == 1 ? positional[0] : Path.Combine("docs", "test-vectors");
Directory.CreateDirectory(directory);

Json.Write(directory, "constants.json", ConstantVectors.Build());
Json.Write(directory, "devices.json", DeviceVectors.Build());
Json.Write(directory, "key-store.json", KeyStoreVectors.Build());
Json.Write(directory, "padding.json", PaddingVectors.Build());
Json.Write(directory, "envelopes.json", EnvelopeVectors.Build());
Json.Write(directory, "merkle.json", MerkleVectors.Build());
Json.Write(directory, "sender-counters.json", CounterVectors.Build());
Json.Write(directory, "archive-vectors.json", ArchiveVectors.Build());
Json.Write(directory, "publications.json", PublicationVectors.Build());
Json.Write(directory, "disclosure-policy.json", DisclosurePolicyVectors.Build());
Json.Write(directory, "certificates.json", CertificateVectors.Build());
Json.Write(directory, "epoch-records.json", EpochRecordVectors.Build(fresh ? null : Json.TryRead(directory, "epoch-records.json")));
Json.Write(directory, "attachments.json", AttachmentVectors.Build(fresh ? null : Json.TryRead(directory, "attachments.json")));
Json.Write(directory, "bundle.json", BundleVectors.Build(Json.TryRead(directory, "epoch-records.json")!, Json.TryRead(directory, "envelopes.json")!));
Json.Write(directory, "amendments.json", AmendmentVectors.Build(Json.TryRead(directory, "envelopes.json")!));
return 0;
