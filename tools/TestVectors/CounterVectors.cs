using System.Text.Json.Nodes;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.TestVectors;

internal static class CounterVectors
{
    public static JsonObject Build()
    {
        var ids = new Dictionary<string, DeviceId>();
        foreach (var device in Fixtures.Devices)
        {
            using var identity = Fixtures.Identity(device.Name);
            ids[device.Name] = identity.Id;
        }

        var sequence = new (string Sender, ulong Counter)[]
        {
            ("bob", 1), ("bob", 2), ("bob", 2), ("carol", 1), ("bob", 5), ("bob", 3), ("bob", 6), ("carol", 1), ("carol", 4), ("bob", 1),
            ("alice", 2), ("alice", 3), ("carol", 5),
        };

        var counters = new SenderCounters();
        var observations = new JsonArray();
        foreach (var (sender, counter) in sequence)
        {
            var check = counters.Observe(ids[sender], counter);
            observations.Add(new JsonObject
            {
                ["sender"] = sender,
                ["sender_device_id"] = ids[sender].ToString(),
                ["counter"] = counter,
                ["verdict"] = check.Verdict.ToString(),
                ["missing"] = check.Missing,
                ["last_after"] = counters.Last(ids[sender]),
            });
        }

        return new JsonObject
        {
            ["description"] = "SenderCounters.Observe over one channel, in this order, starting empty: the verdict, the number of missing items reported for a gap, and the sender's last accepted counter afterwards.",
            ["observations"] = observations,
        };
    }
}
