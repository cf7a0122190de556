/**
 * Vendor shim: libphonenumber-js (Google's libphonenumber metadata), bundled into dist/ by the
 * gulpfile's esbuild step (VENDOR_SHIMS), because an installed community package may have no
 * runtime dependencies. The "max" metadata validates numbers by their national patterns, not only
 * their length, so a number Klaviyo would reject is caught here with a reason.
 */
export { getCountries, parsePhoneNumberFromString } from 'libphonenumber-js/max';
export type { CountryCode } from 'libphonenumber-js/max';
