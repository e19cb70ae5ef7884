using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Keys.Store;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.TestVectors;

internal static class KeyStoreVectors
{
    private const int HeaderLength = 60;

    public static JsonObject Build()
    {
        var seeds = Fixtures.Device("alice");
        using var identity = Fixtures.Identity("alice");
        var kdf = KdfParameters.Floor;
        var random = new ReplayRandom([.. Fixtures.KeyStoreSalt, .. Fixtures.KeyStoreNonce]);
        var file = KeyStoreFile.Seal(identity, Fixtures.Passphrase, kdf, random).Value!;
        random.AssertConsumed();

        var header = file.AsSpan(0, HeaderLength).ToArray();
        var ciphertext = file.AsSpan(HeaderLength).ToArray();
        byte[] associatedData = [.. ProtocolConstants.KeyStoreContext, .. header];
        byte[] payload = [KeyStoreFile.PayloadVersion, .. seeds.SigningSeed, .. seeds.AgreementSecret];
        var passphrase = Encoding.UTF8.GetBytes(Fixtures.Passphrase);

        var key = new byte[32];
        using (var secret = SecureMemoryHandle.CreateFrom(passphrase))
        {
            Checks.That(Argon2id.TryDeriveKey(secret, passphrase.Length, Fixtures.KeyStoreSalt, kdf.OpsLimit, kdf.MemLimitBytes, out var derived), "Argon2id");
            using (derived)
            {
                derived.Export(key);
                var opened = new byte[payload.Length];
                Checks.That(XChaCha20Poly1305.TryDecrypt(derived, Fixtures.KeyStoreNonce, associatedData, ciphertext, opened), "payload decrypts");
                Checks.Equal(payload, opened, "payload");
            }
        }

        var unsealed = KeyStoreFile.Unseal(file, Fixtures.Passphrase);
        Checks.That(unsealed.IsSuccess && unsealed.Value.Id == identity.Id, "store opens to alice");
        unsealed.Value?.Dispose();

        return new JsonObject
        {
            ["description"] = "Alice's key store sealed with KeyStoreFile.Seal at the KDF floor, with the salt and nonce replayed from fixed bytes. 'rejections' are modified files and the KeyStoreError each must produce.",
            ["device"] = "alice",
            ["signing_seed"] = Json.Hex(seeds.SigningSeed),
            ["agreement_secret"] = Json.Hex(seeds.AgreementSecret),
            ["device_id"] = identity.Id.ToString(),
            ["passphrase"] = Fixtures.Passphrase,
            ["passphrase_utf8"] = Json.Hex(passphrase),
            ["kdf"] = new JsonObject
            {
                ["algorithm"] = "argon2id13",
                ["ops_limit"] = kdf.OpsLimit,
                ["mem_limit_kib"] = kdf.MemLimitKiB,
                ["parallelism"] = 1,
            },
            ["salt"] = Json.Hex(Fixtures.KeyStoreSalt),
            ["nonce"] = Json.Hex(Fixtures.KeyStoreNonce),
            ["random"] = Json.Hex([.. Fixtures.KeyStoreSalt, .. Fixtures.KeyStoreNonce]),
            ["key"] = Json.Hex(key),
            ["header"] = Json.Hex(header),
            ["associated_data"] = Json.Hex(associatedData),
            ["payload"] = Json.Hex(payload),
            ["ciphertext"] = Json.Hex(ciphertext),
            ["file"] = Json.Hex(file),
            ["rejections"] = Rejections(file),
        };
    }

    private static JsonArray Rejections(byte[] file)
    {
        var cases = new (string Description, string Passphrase, byte[] File)[]
        {
            ("wrong passphrase", Fixtures.Passphrase + "!", file),
            ("ops limit lowered to 1 (below the floor)", Fixtures.Passphrase, WithUInt32(file, 10, 1)),
            ("memory lowered to 32768 KiB (below the floor)", Fixtures.Passphrase, WithUInt32(file, 14, 32 * 1024)),
            ("ops limit raised to 17 (above the ceiling)", Fixtures.Passphrase, WithUInt32(file, 10, 17)),
            ("ops limit raised to 3 (allowed, but authenticated)", Fixtures.Passphrase, WithUInt32(file, 10, 3)),
            ("format version 2", Fixtures.Passphrase, WithByte(file, 8, 2)),
            ("kdf identifier 2", Fixtures.Passphrase, WithByte(file, 9, 2)),
            ("magic changed", Fixtures.Passphrase, WithByte(file, 0, (byte)'X')),
            ("salt byte flipped", Fixtures.Passphrase, WithByte(file, 18, (byte)(file[18] ^ 1))),
            ("nonce byte flipped", Fixtures.Passphrase, WithByte(file, 34, (byte)(file[34] ^ 1))),
            ("last tag byte flipped", Fixtures.Passphrase, WithByte(file, file.Length - 1, (byte)(file[^1] ^ 0x80))),
            ("truncated by one byte", Fixtures.Passphrase, file[..^1]),
            ("one byte appended", Fixtures.Passphrase, [.. file, 0]),
            ("length field 80", Fixtures.Passphrase, WithUInt16(file, 58, 80)),
        };

        var result = new JsonArray();
        foreach (var (description, passphrase, bytes) in cases)
        {
            var unsealed = KeyStoreFile.Unseal(bytes, passphrase);
            Checks.That(!unsealed.IsSuccess, $"rejection '{description}' fails");
            result.Add(new JsonObject
            {
                ["description"] = description,
                ["passphrase"] = passphrase,
                ["file"] = Json.Hex(bytes),
                ["error"] = unsealed.Error.ToString(),
            });
        }

        return result;
    }

    private static byte[] WithByte(byte[] file, int offset, byte value)
    {
        var copy = file.ToArray();
        copy[offset] = value;
        return copy;
    }

    private static byte[] WithUInt32(byte[] file, int offset, uint value)
    {
        var copy = file.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private static byte[] WithUInt16(byte[] file, int offset, ushort value)
    {
        var copy = file.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
