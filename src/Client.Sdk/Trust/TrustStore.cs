using System.Text.Json;
using SecureDialogue.Client.Profile;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Trust;

/// <summary>
/// Trust on first use: the first device seen for each member account is pinned (the earliest registered,
/// then the smallest id, so that clients shown the same directory pin the same device); a device added or
/// changed later stays <see cref="DeviceTrust.Unverified"/> until the user trusts it explicitly. Pins are
/// saved in the profile (<c>pins.json</c>). Thread-safe.
/// </summary>
internal sealed class TrustStore
{
    private readonly ProfileLayout _layout;
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Dictionary<DeviceId, PinnedDevice>> _pins = [];
    private readonly List<PinnedRoot> _roots = [];

    private TrustStore(ProfileLayout layout) => _layout = layout;

    /// <summary>Loads the pins; a corrupt pins file is an error (silently forgetting pins would re-open trust on first use).</summary>
    /// <exception cref="IOException">The pins file cannot be read or parsed.</exception>
    public static TrustStore Load(ProfileLayout layout)
    {
        var store = new TrustStore(layout);
        var bytes = AtomicStateFile.Read(layout.PinsPath, 16L * 1024 * 1024);
        if (bytes is null)
        {
            return store;
        }

        PinsDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(bytes, ProfileJsonContext.Default.PinsDocument);
        }
        catch (JsonException e)
        {
            throw new IOException($"{layout.PinsPath} is corrupt; device pins cannot be trusted.", e);
        }

        if (document is not { Version: PinsDocument.CurrentVersion })
        {
            throw new IOException($"{layout.PinsPath} has an unsupported version.");
        }

        foreach (var account in document.Accounts)
        {
            var devices = new Dictionary<DeviceId, PinnedDevice>();
            foreach (var device in account.Devices)
            {
                // A pin whose card does not decode to its id is not trusted.
                if (DeviceId.TryParse(device.DeviceId, out var id) && DevicePublicKeys.Decode(device.Card) is { IsSuccess: true } card && card.Value.Id == id)
                {
                    devices[id] = device;
                }
            }

            store._pins[account.AccountId] = devices;
        }

        foreach (var root in document.Roots ?? [])
        {
            // A root whose card does not decode to its id is not trusted.
            if (DeviceId.TryParse(root.DeviceId, out var id) && DevicePublicKeys.Decode(root.Card) is { IsSuccess: true } card && card.Value.Id == id)
            {
                store._roots.Add(root);
            }
        }

        return store;
    }

    /// <summary>
    /// Pins the first device of every member account not pinned yet, and this client's own device. Entries whose
    /// card does not decode or does not match their id are ignored. Returns true when a pin was added (and saved).
    /// </summary>
    public bool Observe(IReadOnlyList<DirectoryDevice> devices, IEnumerable<Guid> memberAccounts, Guid ownAccount, DevicePublicKeys ownDevice, DateTimeOffset now)
    {
        var changed = false;
        lock (_lock)
        {
            if (!_pins.TryGetValue(ownAccount, out var own))
            {
                own = [];
                _pins[ownAccount] = own;
            }

            if (!own.ContainsKey(ownDevice.Id))
            {
                own[ownDevice.Id] = new PinnedDevice(ownDevice.Id.ToString(), ownDevice.Encode(), DeviceTrust.Own, now);
                changed = true;
            }

            foreach (var account in memberAccounts.Distinct())
            {
                if (_pins.ContainsKey(account))
                {
                    continue;
                }

                var first = devices.Where(d => d.AccountId == account)
                    .OrderBy(d => d.RegisteredAt).ThenBy(d => d.Id.ToString(), StringComparer.Ordinal).FirstOrDefault();
                if (first is null)
                {
                    continue;
                }

                _pins[account] = new Dictionary<DeviceId, PinnedDevice>
                {
                    [first.Id] = new(first.Id.ToString(), first.Card.Encode(), DeviceTrust.Pinned, now),
                };
                changed = true;
            }

            if (changed)
            {
                SaveLocked();
            }
        }

        return changed;
    }

    /// <summary>How this client regards <paramref name="device"/> as a device of <paramref name="account"/>.</summary>
    public DeviceTrust Classify(Guid account, DeviceId device)
    {
        lock (_lock)
        {
            return _pins.TryGetValue(account, out var devices) && devices.TryGetValue(device, out var pin) ? pin.Trust : DeviceTrust.Unverified;
        }
    }

    /// <summary>The account a device is pinned or trusted for, if any.</summary>
    public Guid? AccountOf(DeviceId device)
    {
        lock (_lock)
        {
            foreach (var (account, devices) in _pins)
            {
                if (devices.ContainsKey(device))
                {
                    return account;
                }
            }

            return null;
        }
    }

    /// <summary>The ids of the devices pinned or trusted for an account.</summary>
    public IReadOnlyList<DeviceId> PinnedDevices(Guid account)
    {
        lock (_lock)
        {
            return _pins.TryGetValue(account, out var devices) ? [.. devices.Keys] : [];
        }
    }

    /// <summary>True when the account has at least one pin (first use is over for it).</summary>
    public bool HasPins(Guid account)
    {
        lock (_lock)
        {
            return _pins.TryGetValue(account, out var devices) && devices.Count > 0;
        }
    }

    /// <summary>Trusts a device of an account explicitly (after the user compared safety numbers).</summary>
    public void Trust(Guid account, DevicePublicKeys card, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_pins.TryGetValue(account, out var devices))
            {
                devices = [];
                _pins[account] = devices;
            }

            if (devices.TryGetValue(card.Id, out var existing) && existing.Trust != DeviceTrust.Unverified)
            {
                return;
            }

            devices[card.Id] = new PinnedDevice(card.Id.ToString(), card.Encode(), DeviceTrust.Trusted, now);
            SaveLocked();
        }
    }

    /// <summary>The trust roots pinned for a review, oldest first.</summary>
    public IReadOnlyList<PinnedRoot> Roots(Guid review)
    {
        lock (_lock)
        {
            return [.. _roots.Where(r => r.ReviewId == review)];
        }
    }

    /// <summary>Pins a State's trust root in a review (no effect when that device is pinned already for the State).</summary>
    /// <returns>True when added.</returns>
    public bool PinRoot(Guid review, string stateCode, DevicePublicKeys card, Guid account, RootPin how, DateTimeOffset now)
    {
        lock (_lock)
        {
            var id = card.Id.ToString();
            if (_roots.Any(r => r.ReviewId == review && r.StateCode == stateCode && r.DeviceId == id))
            {
                return false;
            }

            _roots.Add(new PinnedRoot(review, stateCode, id, card.Encode(), account, how, now));
            SaveLocked();
            return true;
        }
    }

    private void SaveLocked()
    {
        var document = new PinsDocument
        {
            Accounts = [.. _pins.Select(p => new PinnedAccount(p.Key, [.. p.Value.Values.OrderBy(d => d.DeviceId, StringComparer.Ordinal)]))],
            Roots = [.. _roots],
        };
        AtomicStateFile.Write(_layout.PinsPath, JsonSerializer.SerializeToUtf8Bytes(document, ProfileJsonContext.Default.PinsDocument));
    }
}

/// <summary>A server directory entry whose card decoded and matches its id (still server-provided: not trusted by itself).</summary>
internal sealed record DirectoryDevice(DeviceId Id, Guid AccountId, string DisplayName, string StateCode, DevicePublicKeys Card, DateTimeOffset RegisteredAt)
{
    /// <summary>Decodes the server's entries, dropping those whose card is invalid or does not hash to the listed id.</summary>
    public static List<DirectoryDevice> From(IEnumerable<DeviceEntry> entries, out int refused)
    {
        var result = new List<DirectoryDevice>();
        refused = 0;
        foreach (var entry in entries)
        {
            if (entry.Card is not null && DevicePublicKeys.Decode(entry.Card) is { IsSuccess: true } card &&
                DeviceId.TryParse(entry.DeviceId, out var id) && card.Value.Id == id)
            {
                result.Add(new DirectoryDevice(id, entry.AccountId, entry.DisplayName ?? "", entry.StateCode ?? "", card.Value, entry.RegisteredAt));
            }
            else
            {
                refused++;
            }
        }

        return result;
    }
}
