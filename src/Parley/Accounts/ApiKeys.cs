using System.Security.Cryptography;
using System.Text;

namespace Parley.Accounts;

/// <summary>Tenant API keys: 32 random bytes shown once; only their SHA-256 is stored. A fast hash is right
/// here because the keys are high-entropy, unlike passwords.</summary>
public static class ApiKeys
{
    public const string Prefix = "pk_";

    public static string Create() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
