using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Identity;

/// <summary>
/// Finds or creates the account of an (issuer, subject) on a caller's first authenticated request, and keeps its
/// display name and secretariat flag as the latest token says. Accounts are never rebound or deleted.
/// </summary>
internal sealed partial class AccountBinder(MessagingDbContext db, AccountCache cache, TimeProvider time, ILogger<AccountBinder> logger)
{
    /// <summary>Longest issuer and subject accepted.</summary>
    public const int MaxIssuerLength = 512;

    /// <summary>Longest subject accepted.</summary>
    public const int MaxSubjectLength = 255;

    /// <summary>Longest display name kept.</summary>
    public const int MaxDisplayNameLength = 200;

    /// <summary>Returns the account id for a validated token's identity.</summary>
    /// <param name="issuer">The normalised issuer.</param>
    /// <param name="subject">The subject.</param>
    /// <param name="displayName">The token's display name, or null when it carries none (a pre-provisioned name is then kept).</param>
    /// <param name="fallbackName">A new account's name when the token has no display name (e.g. <c>preferred_username</c>).</param>
    /// <param name="isSecretariat">Whether the token carries the secretariat role.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public async Task<Guid> BindAsync(
        string issuer, string subject, string? displayName, string? fallbackName, bool isSecretariat, CancellationToken cancellationToken)
    {
        displayName = displayName is null ? null : Truncate(displayName.Trim());
        if (cache.TryGet(issuer, subject, out var cached) &&
            cached.IsSecretariat == isSecretariat && (displayName is null || cached.DisplayName == displayName))
        {
            return cached.Id;
        }

        for (var attempt = 0; ; attempt++)
        {
            var account = await db.Accounts.AsTracking()
                .SingleOrDefaultAsync(a => a.Issuer == issuer && a.Subject == subject, cancellationToken).ConfigureAwait(false);
            if (account is null)
            {
                account = new AccountEntity
                {
                    Id = Guid.NewGuid(),
                    Issuer = issuer,
                    Subject = subject,
                    DisplayName = displayName ?? Truncate(fallbackName ?? subject),
                    IsSecretariat = isSecretariat,
                    CreatedAt = time.GetUtcNow(),
                };
                db.Accounts.Add(account);
                try
                {
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    Log.Created(logger, account.Id, isSecretariat);
                }
                catch (DbUpdateException) when (attempt == 0)
                {
                    // Created concurrently by another request: read theirs.
                    db.ChangeTracker.Clear();
                    continue;
                }
            }
            else if (account.IsSecretariat != isSecretariat || (displayName is not null && account.DisplayName != displayName))
            {
                account.IsSecretariat = isSecretariat;
                account.DisplayName = displayName ?? account.DisplayName;
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }

            db.ChangeTracker.Clear();
            cache.Set(issuer, subject, new AccountCache.Entry(account.Id, account.DisplayName, account.IsSecretariat));
            return account.Id;
        }
    }

    private static string Truncate(string value) => value.Length <= MaxDisplayNameLength ? value : value[..MaxDisplayNameLength];

    private static partial class Log
    {
        [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Account {AccountId} created on first sign-in (secretariat {IsSecretariat})")]
        public static partial void Created(ILogger logger, Guid accountId, bool isSecretariat);
    }
}

/// <summary>Accounts already bound, so a signed-in caller costs no database round trip. Bounded.</summary>
internal sealed class AccountCache
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<(string Issuer, string Subject), Entry> _entries = new();

    public bool TryGet(string issuer, string subject, out Entry entry) => _entries.TryGetValue((issuer, subject), out entry!);

    public void Set(string issuer, string subject, Entry entry)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[(issuer, subject)] = entry;
    }

    /// <summary>Invalidates an entry (e.g. after the account was changed by another path).</summary>
    public void Forget(string issuer, string subject) => _entries.TryRemove((issuer, subject), out _);

    public sealed record Entry(Guid Id, string DisplayName, bool IsSecretariat);
}
