using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SecureDialogue.Client.Identity;
using SecureDialogue.Client.Tests.Identity.Support;

namespace SecureDialogue.Client.Tests.Identity;

/// <summary>
/// id_token checks on real tokens of the real provider, altered one way at a time: each alteration is
/// refused with its own typed error, and the unaltered token passes.
/// </summary>
[Collection(OidcProviderCollection.Name)]
public sealed class IdTokenValidationTests(OidcProviderFixture fixture) : IAsyncLifetime
{
    // One real sign-in for the whole class (xunit makes an instance per test).
    private static readonly Lock SignInLock = new();
    private static Task<(string IdToken, string Nonce)>? s_signIn;

    private string _idToken = null!;
    private string _nonce = null!;

    public async Task InitializeAsync()
    {
        lock (SignInLock)
        {
            s_signIn ??= SignInAsync(fixture);
        }

        (_idToken, _nonce) = await s_signIn;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<(string IdToken, string Nonce)> SignInAsync(OidcProviderFixture fixture)
    {
        var client = fixture.CreateClient();
        await using var signIn = (await client.StartBrowserSignInAsync()).Value!;
        using var user = new ProviderUser(fixture.Issuer);
        var completion = client.CompleteBrowserSignInAsync(signIn);
        await user.SignInThroughBrowserAsync(signIn.AuthorizationUri, "chen@reviewing-b", TestOidcProvider.Password);
        return ((await completion).Value!.IdToken!, signIn.Nonce);
    }

    [Fact]
    public async Task ValidateIdToken_UnalteredTokenAndItsNonce_ReturnsTheIdentity()
    {
        // Act
        var result = await fixture.CreateClient().ValidateIdTokenAsync(_idToken, _nonce, CancellationToken.None);

        // Assert
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("chen@reviewing-b", result.Value!.Subject);
    }

    [Fact]
    public async Task ValidateIdToken_FlippedSignatureByte_ReturnsSignatureInvalid()
    {
        // Arrange
        var tampered = FlipByte(_idToken, part: 2);

        // Act
        var result = await fixture.CreateClient().ValidateIdTokenAsync(tampered, _nonce, CancellationToken.None);

        // Assert
        Assert.Equal(IdentityErrorKind.IdTokenSignatureInvalid, result.Error.Kind);
    }

    [Fact]
    public async Task ValidateIdToken_FlippedPayloadByte_ReturnsSignatureInvalid()
    {
        // Arrange: change one claim character, keeping the JSON valid ("chen" -> "dhen").
        var parts = _idToken.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("chen@", "dhen@", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        // Act
        var result = await fixture.CreateClient().ValidateIdTokenAsync(tampered, _nonce, CancellationToken.None);

        // Assert
        Assert.Equal(IdentityErrorKind.IdTokenSignatureInvalid, result.Error.Kind);
    }

    [Fact]
    public async Task ValidateIdToken_SignedByAnotherKeyWithTheProvidersKeyId_ReturnsSignatureInvalid()
    {
        // Arrange: same claims and kid, signed with a key the attacker made.
        var original = new JsonWebToken(_idToken);
        using var rsa = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(
            Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(_idToken.Split('.')[1])),
            new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = original.Kid }, SecurityAlgorithms.RsaSha256));

        // Act
        var result = await fixture.CreateClient().ValidateIdTokenAsync(forged, _nonce, CancellationToken.None);

        // Assert
        Assert.Equal(IdentityErrorKind.IdTokenSignatureInvalid, result.Error.Kind);
    }

    [Fact]
    public async Task ValidateIdToken_UnsignedAlgNoneToken_IsRefused()
    {
        // Arrange
        var parts = _idToken.Split('.');
        var unsigned = $"{Base64UrlEncoder.Encode("{\"alg\":\"none\"}")}.{parts[1]}.";

        // Act
        var result = await fixture.CreateClient().ValidateIdTokenAsync(unsigned, _nonce, CancellationToken.None);

        // Assert
        Assert.Equal(IdentityErrorKind.IdTokenSignatureInvalid, result.Error.Kind);
    }

    [Fact]
    public async Task ValidateIdToken_WrongNonce_ReturnsNonceMismatch()
    {
        // Act
        var result = await fixture.CreateClient().ValidateIdTokenAsync(_idToken, _nonce + "x", CancellationToken.None);

        // Assert
        Assert.Equal(IdentityErrorKind.IdTokenNonceMismatch, result.Error.Kind);
    }

    [Fact]
    public async Task ValidateIdToken_WrongIssuer_ReturnsIssuerInvalid()
    {
        // Arrange: a validator for another issuer, holding the real provider's keys.
        var keys = await SigningKeysAsync();
        var validator = new Client.Identity.Protocol.IdTokenValidator("https://login.example.org", "sdlg-cli", TimeSpan.FromMinutes(2), TimeProvider.System);

        // Act
        var result = await validator.ValidateAsync(_idToken, keys, _nonce);

        // Assert
        Assert.Equal(IdentityErrorKind.IdTokenIssuerInvalid, result.Error.Kind);
    }

    [Fact]
    public async Task ValidateIdToken_OtherClientsToken_ReturnsAudienceInvalid()
    {
        // Act
        var result = await fixture.CreateClient(configure: o => o with { ClientId = "securedialogue-web" }).ValidateIdTokenAsync(_idToken, _nonce, CancellationToken.None);

        // Assert
        Assert.Equal(IdentityErrorKind.IdTokenAudienceInvalid, result.Error.Kind);
    }

    [Fact]
    public async Task ValidateIdToken_AfterExpiryAndClockSkew_ReturnsExpired()
    {
        // Arrange
        var expiry = DateTimeOffset.FromUnixTimeSeconds(new JsonWebToken(_idToken).GetPayloadValue<long>("exp"));
        var late = new FakeTimeProvider(expiry + TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var justInTime = new FakeTimeProvider(expiry + TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));

        // Act
        var expired = await fixture.CreateClient(late).ValidateIdTokenAsync(_idToken, _nonce, CancellationToken.None);
        var accepted = await fixture.CreateClient(justInTime).ValidateIdTokenAsync(_idToken, _nonce, CancellationToken.None);

        // Assert
        Assert.Equal(IdentityErrorKind.IdTokenExpired, expired.Error.Kind);
        Assert.True(accepted.IsSuccess, accepted.ToString());
    }

    [Fact]
    public async Task ValidateIdToken_IssuedInTheFutureBeyondSkew_ReturnsExpired()
    {
        // Arrange
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(new JsonWebToken(_idToken).GetPayloadValue<long>("iat"));
        var early = new FakeTimeProvider(issuedAt - TimeSpan.FromMinutes(3));

        // Act
        var result = await fixture.CreateClient(early).ValidateIdTokenAsync(_idToken, _nonce, CancellationToken.None);

        // Assert
        Assert.Equal(IdentityErrorKind.IdTokenExpired, result.Error.Kind);
    }

    [Fact]
    public async Task ValidateIdToken_NotAJwt_ReturnsMalformed()
    {
        // Act
        var result = await fixture.CreateClient().ValidateIdTokenAsync("not-a-token", _nonce, CancellationToken.None);

        // Assert
        Assert.Equal(IdentityErrorKind.IdTokenMalformed, result.Error.Kind);
    }

    private async Task<IReadOnlyList<SecurityKey>> SigningKeysAsync()
    {
        using var http = new HttpClient();
        var jwks = await http.GetStringAsync(new Uri(fixture.Issuer, "/jwks"));
        return [.. new JsonWebKeySet(jwks).GetSigningKeys()];
    }

    private static string FlipByte(string jwt, int part)
    {
        var parts = jwt.Split('.');
        var bytes = Base64UrlEncoder.DecodeBytes(parts[part]);
        bytes[bytes.Length / 2] ^= 0x01;
        parts[part] = Base64UrlEncoder.Encode(bytes);
        return string.Join('.', parts);
    }
}
