using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SecureDialogue.Client.Identity.Protocol;

/// <summary>
/// Proof Key for Code Exchange (RFC 7636) with the S256 method, and the other one-time values of an
/// authorization request (state, nonce): 256 bits each from the operating system's CSPRNG, base64url.
/// </summary>
internal static class Pkce
{
    private const int EntropyBytes = 32;

    /// <summary>A code verifier: 43 characters of [A-Za-z0-9-_] (section 4.1).</summary>
    public static string NewVerifier() => NewRandomValue();

    /// <summary>BASE64URL(SHA256(ASCII(verifier))) (section 4.2).</summary>
    public static string ChallengeOf(string verifier) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>A fresh unguessable value for <c>state</c> or <c>nonce</c>.</summary>
    public static string NewRandomValue()
    {
        Span<byte> bytes = stackalloc byte[EntropyBytes];
        RandomNumberGenerator.Fill(bytes);
        var value = Base64Url.EncodeToString(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return value;
    }
}
