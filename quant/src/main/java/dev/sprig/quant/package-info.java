/**
 * Sprig quant: see ../shared/DESIGN.md. The module builds empty until its issue lands.
 */
package dev.sprig.quant;
