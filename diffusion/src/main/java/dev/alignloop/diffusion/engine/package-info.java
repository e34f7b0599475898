/** Engine settings shared by the services: which device the models run on. */
package dev.alignloop.diffusion.engine;
