using System.Text.Json.Serialization;

namespace SecureDialogue.Client.Identity.Cache;

/// <summary>The token cache file (<c>tokens.json</c>, version 1). Holds secrets: the file is 0600.</summary>
internal sealed record TokenCacheDocument
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("version")]
    public int Version { get; init; }

    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    [JsonPropertyName("issuer")]
    public string? Issuer { get; init; }

    [JsonPropertyName("subject")]
    public string? Subject { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("preferred_username")]
    public string? PreferredUsername { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    [JsonPropertyName("roles")]
    public IReadOnlyList<string>? Roles { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("access_token_expires_at")]
    public DateTimeOffset AccessTokenExpiresAt { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("id_token")]
    public string? IdToken { get; init; }

    public static TokenCacheDocument From(TokenSet tokens) => new()
    {
        Version = CurrentVersion,
        ClientId = tokens.ClientId,
        Issuer = tokens.Issuer,
        Subject = tokens.Identity.Subject,
        Name = tokens.Identity.Name,
        PreferredUsername = tokens.Identity.PreferredUsername,
        Email = tokens.Identity.Email,
        Roles = tokens.Identity.Roles,
        AccessToken = tokens.AccessToken,
        AccessTokenExpiresAt = tokens.AccessTokenExpiresAt,
        RefreshToken = tokens.RefreshToken,
        IdToken = tokens.IdToken,
    };

    /// <summary>The token set, or <c>null</c> when a required field is missing or the version is unknown.</summary>
    public TokenSet? ToTokenSet()
    {
        if (Version != CurrentVersion || string.IsNullOrEmpty(ClientId) || string.IsNullOrEmpty(Issuer)
            || string.IsNullOrEmpty(Subject) || string.IsNullOrEmpty(AccessToken))
        {
            return null;
        }

        var identity = new SignedInIdentity(Issuer, Subject, Name, PreferredUsername, Email, Roles ?? []);
        return new TokenSet(ClientId, identity, AccessToken, AccessTokenExpiresAt, RefreshToken, IdToken);
    }

    /// <summary>Never shows the tokens.</summary>
    public override string ToString() => nameof(TokenCacheDocument);
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenCacheDocument))]
internal sealed partial class TokenCacheJsonContext : JsonSerializerContext;
