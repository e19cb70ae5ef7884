using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Directory;

/// <summary>
/// Registers a device's self-signed card for the caller's account. The card is checked as every client checks it
/// (<see cref="DevicePublicKeys.Decode"/>: length, version, valid points, self-signature); a device id belongs to one
/// account for ever, and registering the same card again is harmless.
/// </summary>
internal sealed partial class RegisterDeviceCommand(MessagingDbContext db, Archive.ArchiveWriter archive, TimeProvider time, ILogger<RegisterDeviceCommand> logger)
{
    /// <summary>The registered device and whether this call created it.</summary>
    public async Task<Outcome<(DeviceEntry Device, bool Created)>> ExecuteAsync(Caller caller, RegisterDevice? request, CancellationToken cancellationToken)
    {
        if (request?.Card is not { } card)
        {
            return ApiErrors.BadRequest("Send {\"card\":\"BASE64\"} with the 130-byte device card.");
        }

        var decoded = DevicePublicKeys.Decode(card);
        if (!decoded.TryGetValue(out var keys, out var keyError))
        {
            Log.Refused(logger, caller.AccountId, keyError, card.Length);
            return ApiErrors.BadRequest(keyError switch
            {
                KeyError.UnsupportedVersion => "The device card has a version or suite this server does not implement.",
                KeyError.BadSignature => "The device card's self-signature does not verify.",
                KeyError.InvalidPublicKey => "The device card holds an invalid public key.",
                _ => "The device card is not a 130-byte card (docs/protocol.md, \"Device card\").",
            });
        }

        var deviceId = keys.Id.ToString();
        for (var attempt = 0; ; attempt++)
        {
            var existing = await db.Devices.SingleOrDefaultAsync(d => d.DeviceId == deviceId, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                if (existing.AccountId != caller.AccountId)
                {
                    Log.Taken(logger, caller.AccountId, deviceId);
                    return ApiErrors.Forbidden("This device is registered to another account; a device belongs to one account for ever.");
                }

                if (existing.RevokedAt is not null)
                {
                    return ApiErrors.Forbidden("This device was revoked; create a new device key.");
                }

                return (await ToEntryAsync(existing, cancellationToken).ConfigureAwait(false), false);
            }

            var device = new DeviceEntity { DeviceId = deviceId, AccountId = caller.AccountId, Card = keys.Encode(), RegisteredAt = time.GetUtcNow() };
            db.Devices.Add(device);
            try
            {
                await StoreAsync(device, cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Registered concurrently: decide again against the stored row.
                db.ChangeTracker.Clear();
                continue;
            }

            db.ChangeTracker.Clear();
            Log.Registered(logger, caller.AccountId, deviceId);
            return (await ToEntryAsync(device, cancellationToken).ConfigureAwait(false), true);
        }
    }

    // The device, and a MembershipChange entry in the log of every review its account is a member of, commit together.
    private async Task StoreAsync(DeviceEntity device, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            var reviews = await db.ReviewMembers.Where(m => m.AccountId == device.AccountId).Select(m => m.ReviewId).ToListAsync(cancellationToken).ConfigureAwait(false);
            var payload = Archive.MembershipPayload.DeviceRegistered(device.AccountId, device.DeviceId, device.Card);
            foreach (var review in reviews.Order())
            {
                await archive.AppendAsync(db, review, [Archive.ArchiveRecord.Stored(Vault.Archive.ArchiveEntryKind.MembershipChange, payload, device.RegisteredAt)], cancellationToken)
                    .ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DeviceEntry> ToEntryAsync(DeviceEntity device, CancellationToken cancellationToken)
    {
        var name = await db.Accounts.Where(a => a.Id == device.AccountId).Select(a => a.DisplayName).SingleAsync(cancellationToken).ConfigureAwait(false);
        return new DeviceEntry(device.DeviceId, device.AccountId, name, string.Empty, device.Card, device.RegisteredAt);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Device {DeviceId} registered to account {AccountId}")]
        public static partial void Registered(ILogger logger, Guid accountId, string deviceId);

        [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Device card refused for account {AccountId}: {Error} ({Length} bytes)")]
        public static partial void Refused(ILogger logger, Guid accountId, KeyError error, int length);

        [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Account {AccountId} tried to register device {DeviceId}, which belongs to another account")]
        public static partial void Taken(ILogger logger, Guid accountId, string deviceId);
    }
}
